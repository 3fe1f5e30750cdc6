import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ImageRecord, VerifyReport } from '../../src-shared/contract/records';
import { hashFile } from './file-hash';
import type { Workspace } from './workspace';

/** How far and how wide the search for moved files goes. */
const SEARCH_MAX_DEPTH = 8;
const SEARCH_MAX_FILES = 200_000;

export interface VerifyOptions {
  /** Folders (already allowed) where missing files are looked for by size and content hash. */
  searchFolders: string[];
  /** Record the new path of files found elsewhere. */
  relocate: boolean;
  /** Called between files; throws to stop (cancellation). */
  checkpoint?: () => Promise<void>;
}

async function walk(dir: string, depth: number, out: Map<number, string[]>, budget: { left: number }): Promise<void> {
  if (depth > SEARCH_MAX_DEPTH || budget.left <= 0) return;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (budget.left <= 0) return;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await walk(full, depth + 1, out, budget);
    else if (entry.isFile()) {
      budget.left--;
      try {
        const { size } = await stat(full);
        const list = out.get(size) ?? [];
        list.push(full);
        out.set(size, list);
      } catch {
        // Vanished while listing.
      }
    }
  }
}

/**
 * Compares image files with what was recorded: same size and mtime -> ok without reading; else the
 * content hash decides between ok (touched only) and changed. Missing files are searched for by
 * size, then hash, under the search folders; matches are reported as moved (and relocated on request).
 */
export async function verifyImages(ws: Workspace, images: ImageRecord[], options: VerifyOptions): Promise<VerifyReport> {
  const report: VerifyReport = { checked: 0, ok: 0, changed: [], missing: [], moved: [] };
  const lost: ImageRecord[] = [];
  // Findings are written in one transaction at the end: one commit instead of one per image.
  const writes: (() => void)[] = [];
  for (const image of images) {
    await options.checkpoint?.();
    report.checked++;
    let info;
    try {
      info = await stat(image.path);
    } catch {
      lost.push(image);
      continue;
    }
    if (!info.isFile()) {
      lost.push(image);
      continue;
    }
    const mtimeMs = Math.round(info.mtimeMs);
    if (info.size === image.size && mtimeMs === image.mtimeMs) {
      report.ok++;
      writes.push(() => ws.images.markStatus(image.id, 'ok'));
      continue;
    }
    const hash = await hashFile(image.path).catch(() => null);
    if (hash === image.contentHash) {
      report.ok++;
      writes.push(() => ws.images.updateFile(image.id, { size: info.size, mtimeMs, fileStatus: 'ok' }));
    } else {
      report.changed.push({ id: image.id, path: image.path });
      writes.push(() => ws.images.markStatus(image.id, 'changed'));
    }
  }
  if (lost.length > 0) await findMoved(ws, lost, options, report, writes);
  ws.transaction(() => {
    for (const write of writes) write();
  });
  return report;
}

async function findMoved(ws: Workspace, lost: ImageRecord[], options: VerifyOptions, report: VerifyReport, writes: (() => void)[]): Promise<void> {
  const bySize = new Map<number, string[]>();
  const budget = { left: SEARCH_MAX_FILES };
  for (const folder of options.searchFolders) await walk(folder, 0, bySize, budget);
  const hashes = new Map<string, string | null>();
  const relocated = new Set<string>();
  for (const image of lost) {
    await options.checkpoint?.();
    let found: string | null = null;
    for (const candidate of bySize.get(image.size) ?? []) {
      if (!hashes.has(candidate)) hashes.set(candidate, await hashFile(candidate).catch(() => null));
      if (hashes.get(candidate) === image.contentHash) {
        found = candidate;
        break;
      }
    }
    if (!found) {
      report.missing.push({ id: image.id, path: image.path });
      writes.push(() => ws.images.markStatus(image.id, 'missing'));
      continue;
    }
    const to = found;
    const updated = options.relocate && !ws.images.findByPath(image.datasetId, to) && !relocated.has(to);
    if (updated) {
      relocated.add(to);
      const info = await stat(to);
      writes.push(() => ws.images.updateFile(image.id, { path: to, size: info.size, mtimeMs: info.mtimeMs, fileStatus: 'ok' }));
    } else {
      writes.push(() => ws.images.markStatus(image.id, 'missing'));
    }
    report.moved.push({ id: image.id, from: image.path, to, updated });
  }
}
