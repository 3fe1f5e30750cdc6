import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/*
 * Real file-system faults for the disk tests: a tiny tmpfs that fills up, and a read-only bind mount.
 * Both need root and a kernel that lets this process mount (a privileged container or a VM); where
 * that is not so, the tests that need them say why they are skipped.
 */

function run(args: string[]): void {
  execFileSync(args[0], args.slice(1), { stdio: 'pipe' });
}

let probed: string | null | undefined;

/** Null when this process can mount; otherwise the reason it cannot. */
export function mountUnavailable(): string | null {
  if (probed !== undefined) return probed;
  if (process.platform !== 'linux') return (probed = `mounting is only tried on Linux (this is ${process.platform})`);
  if (process.getuid?.() !== 0) return (probed = 'mounting needs root (file permissions are used instead where they suffice)');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'unet-mount-probe-'));
  try {
    run(['mount', '-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
    run(['umount', dir]);
    probed = null;
  } catch (error) {
    probed = `mount is not permitted here: ${(error as Error).message.split('\n')[0]}`;
  } finally {
    rmdirSync(dir);
  }
  return probed;
}

export function mountTmpfs(dir: string, bytes: number): void {
  run(['mount', '-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir]);
}

/** Shows `source` read-only at `target` (the kernel refuses every write there, even root's). */
export function bindReadOnly(source: string, target: string): void {
  run(['mount', '--bind', source, target]);
  run(['mount', '-o', 'remount,bind,ro', target]);
}

export function unmount(dir: string): void {
  run(['umount', dir]);
}
