import { open, type FileHandle } from 'node:fs/promises';
import { UnetError } from '../../src-shared/contract/errors';
import { corrupt, fileError, fromFsError } from './io-errors';

const CACHE_BLOCK = 64 * 1024;
const CACHE_BLOCKS = 16;

/**
 * A read-only file whose every read is checked against its size first, so a header that points past
 * the end of the file becomes CORRUPT instead of a huge allocation or a short read decoded as data.
 * Small reads go through a block cache: IFD chains and PNG chunk headers are many tiny reads.
 */
export class BoundedFile {
  private readonly cache = new Map<number, Uint8Array>();

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<BoundedFile> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      throw fromFsError(path, error as NodeJS.ErrnoException);
    }
    try {
      const stat = await handle.stat();
      if (stat.isDirectory()) throw fileError('INVALID_ARGUMENT', path, 'is a directory, not an image file');
      if (!stat.isFile()) throw fileError('UNSUPPORTED', path, 'not a regular file');
      return new BoundedFile(path, handle, stat.size);
    } catch (error) {
      await handle.close().catch(() => undefined);
      if (error instanceof UnetError) throw error;
      throw fromFsError(path, error as NodeJS.ErrnoException);
    }
  }

  /** Exactly `length` bytes at `offset`; CORRUPT when the range is not inside the file. */
  async read(offset: number, length: number, what = 'data'): Promise<Uint8Array> {
    this.checkRange(offset, length, what);
    if (length === 0) return new Uint8Array(0);
    const first = Math.floor(offset / CACHE_BLOCK);
    const last = Math.floor((offset + length - 1) / CACHE_BLOCK);
    if (last - first <= 1 && length <= CACHE_BLOCK) return this.readCached(offset, length, first, last);
    return this.readDirect(offset, length);
  }

  /** Up to `length` bytes at `offset`, fewer at the end of the file. */
  async readUpTo(offset: number, length: number): Promise<Uint8Array> {
    const available = Math.max(0, Math.min(length, this.size - offset));
    return this.read(offset, available);
  }

  checkRange(offset: number, length: number, what: string): void {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0
      || offset + length > this.size) {
      throw corrupt(this.path, `${what} lies outside the file (bytes ${offset}..${offset + length} of ${this.size})`);
    }
  }

  async close(): Promise<void> {
    this.cache.clear();
    await this.handle.close().catch(() => undefined);
  }

  private async readDirect(offset: number, length: number): Promise<Uint8Array> {
    const buffer = new Uint8Array(length);
    let done = 0;
    try {
      while (done < length) {
        const { bytesRead } = await this.handle.read(buffer, done, length - done, offset + done);
        if (bytesRead === 0) throw corrupt(this.path, `file shrank while reading (expected ${this.size} bytes)`);
        done += bytesRead;
      }
    } catch (error) {
      if (error instanceof UnetError) throw error;
      throw fromFsError(this.path, error as NodeJS.ErrnoException);
    }
    return buffer;
  }

  private async block(index: number): Promise<Uint8Array> {
    let block = this.cache.get(index);
    if (block === undefined) {
      const start = index * CACHE_BLOCK;
      block = await this.readDirect(start, Math.min(CACHE_BLOCK, this.size - start));
      if (this.cache.size >= CACHE_BLOCKS) this.cache.delete(this.cache.keys().next().value as number);
      this.cache.set(index, block);
    }
    return block;
  }

  private async readCached(offset: number, length: number, first: number, last: number): Promise<Uint8Array> {
    const head = await this.block(first);
    const start = offset - first * CACHE_BLOCK;
    if (first === last) return head.subarray(start, start + length);
    const tail = await this.block(last);
    const out = new Uint8Array(length);
    out.set(head.subarray(start));
    out.set(tail.subarray(0, length - (head.length - start)), head.length - start);
    return out;
  }
}

/** Opens `path`, runs `work`, and always closes the file. */
export async function withFile<T>(path: string, work: (file: BoundedFile) => Promise<T>): Promise<T> {
  const file = await BoundedFile.open(path);
  try {
    return await work(file);
  } finally {
    await file.close();
  }
}
