import { describe, expect, it } from 'vitest';
import { UnetError } from '../../../src-shared/contract/errors';
import { fsStoreError, mapStoreErrors } from '../../../src-main/store/store-errors';

const errno = (code: string) => Object.assign(new Error(`${code}: something`), { code });
const sqlite = (code: string) => Object.assign(new Error('database or disk is full'), { code });

describe('store errors', () => {
  it.each([
    ['EROFS', 'READ_ONLY'],
    ['EACCES', 'READ_ONLY'],
    ['EPERM', 'READ_ONLY'],
    ['ENOSPC', 'DISK_FULL'],
    ['EDQUOT', 'DISK_FULL'],
    ['ENOENT', 'NOT_FOUND'],
    ['EIO', 'IO_ERROR'],
  ])('a file-system %s becomes %s, naming what failed', (code, expected) => {
    const error = fsStoreError(errno(code), 'the workspace /w cannot be written');
    expect(error.code).toBe(expected);
    expect(error.message).toMatch(/^the workspace \/w cannot be written: /);
    expect(error.details).toEqual({ errno: code });
  });

  it('SQLite failures thrown by a repository method become typed errors; results and UnetErrors pass unchanged', () => {
    class Repo {
      value = 3;
      full(): never {
        throw sqlite('SQLITE_FULL');
      }
      readOnly(): never {
        throw sqlite('SQLITE_READONLY');
      }
      typed(): never {
        throw new UnetError('CONFLICT', 'changed meanwhile');
      }
      twice(n: number): number {
        return n * 2 + this.value;
      }
    }
    const repo = mapStoreErrors(new Repo(), 'the workspace /w');
    expect(repo.twice(4)).toBe(11);
    expect(repo.value).toBe(3);
    expect(repo).toBeInstanceOf(Repo);
    expect(() => repo.full()).toThrowError(expect.objectContaining({ code: 'DISK_FULL', message: 'the workspace /w: database or disk is full' }));
    expect(() => repo.readOnly()).toThrowError(expect.objectContaining({ code: 'READ_ONLY' }));
    expect(() => repo.typed()).toThrowError(expect.objectContaining({ code: 'CONFLICT', message: 'changed meanwhile' }));
  });
});
