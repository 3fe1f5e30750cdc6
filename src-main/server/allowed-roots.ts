import { realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * Where a path really is: symlinks resolved for the part that exists, the rest (a folder about to
 * be created) appended as given. The input must already be absolute and normalised (no `..`).
 */
export function realLocation(resolved: string): string {
  const missing: string[] = [];
  let existing = resolved;
  for (;;) {
    try {
      return path.join(realpathSync.native(existing), ...missing.reverse());
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return resolved;
      missing.push(path.basename(existing));
      existing = parent;
    }
  }
}

function normaliseCase(p: string): string {
  return process.platform === 'win32' || process.platform === 'darwin' ? p.toLowerCase() : p;
}

function isInside(child: string, root: string): boolean {
  const c = normaliseCase(child);
  const r = normaliseCase(root);
  return c === r || c.startsWith(r.endsWith(path.sep) ? r : r + path.sep);
}

/**
 * Browser mode's rule for file access: a path is allowed when its real location (after symlinks)
 * is one of the roots or inside one. `roots` is asked on every check, so a newly opened workspace
 * counts at once. Relative paths and `..` are resolved first (the caller then uses the resolved
 * path); a symlink inside a root that points outside is judged by its target; URL-encoded names
 * (`%2e%2e`) are never decoded, so they are just odd file names.
 */
export function createPathPolicy(roots: () => readonly string[]): (p: string) => boolean {
  return (p: string) => {
    if (typeof p !== 'string' || p.length === 0 || p.includes('\0')) return false;
    const real = realLocation(path.resolve(p));
    return roots().some((root) => isInside(real, realLocation(path.resolve(root))));
  };
}
