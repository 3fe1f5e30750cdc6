import path from 'node:path';
import { UnetError } from '../../src-shared/contract/errors';

/** Resolves a caller's path and refuses it unless the predicate allows it (browser mode's allowed roots). */
export function allowedPath(isPathAllowed: (p: string) => boolean, input: string): string {
  const resolved = path.resolve(input);
  if (!isPathAllowed(resolved)) throw new UnetError('UNAUTHORIZED', `access to ${resolved} is not allowed`, { path: resolved });
  return resolved;
}
