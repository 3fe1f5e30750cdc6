import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../../src-main/io/process-alive';

describe('isProcessAlive', () => {
  it('is true for this process and its parent, false for a process that has exited', () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(isProcessAlive(process.ppid)).toBe(true);
    const child = spawnSync(process.execPath, ['-e', '0']);
    expect(child.pid).toBeGreaterThan(0);
    expect(isProcessAlive(child.pid)).toBe(false);
  });

  it.skipIf(process.platform === 'win32')('counts a process of another user (EPERM) as alive', () => {
    // pid 1 (init) always exists on Unix; signalling it is refused unless this runs as root.
    expect(isProcessAlive(1)).toBe(true);
  });
});
