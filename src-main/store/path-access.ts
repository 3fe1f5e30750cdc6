import path from 'node:path';
import { UnetError } from '../../src-shared/contract/errors';

/**
 * The refusal of a path outside browser mode's allowed folders, saying how to allow it: the server
 * is started with `--allow-root` for a folder that holds the path (the folder itself, or a file's folder).
 */
export function pathNotAllowed(resolved: string): UnetError {
  const folder = path.extname(resolved) ? path.dirname(resolved) : resolved;
  return new UnetError(
    'UNAUTHORIZED',
    `access to ${resolved} is not allowed: browser mode reads and writes only inside the workspace and the folders given with --allow-root DIR `
      + `(default: your home folder). Restart it with --allow-root ${folder} (e.g. npm run serve -- --allow-root ${folder}) to allow it.`,
    { path: resolved, allowRoot: folder },
  );
}

/** Resolves a caller's path and refuses it unless the predicate allows it (browser mode's allowed roots). */
export function allowedPath(isPathAllowed: (p: string) => boolean, input: string): string {
  const resolved = path.resolve(input);
  if (!isPathAllowed(resolved)) throw pathNotAllowed(resolved);
  return resolved;
}
