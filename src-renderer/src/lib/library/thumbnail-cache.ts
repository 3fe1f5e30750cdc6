/**
 * Thumbnails as object URLs, fetched on demand with bounded concurrency and kept in an LRU of bounded
 * size (older URLs are revoked). The most recent requests are served first, so when the user scrolls
 * fast the tiles now on screen load before those already scrolled past; aborted requests are dropped.
 */
export interface ThumbnailCacheOptions {
  concurrency?: number;
  capacity?: number;
  createUrl?: (bytes: Uint8Array) => string;
  revokeUrl?: (url: string) => void;
}

interface Waiter {
  id: number;
  resolve: (url: string) => void;
  reject: (error: unknown) => void;
  signal?: AbortSignal;
}

export class ThumbnailCache {
  private readonly urls = new Map<number, string>();
  private readonly queue: Waiter[] = [];
  private readonly running = new Map<number, Promise<string>>();
  private readonly concurrency: number;
  private readonly capacity: number;
  private readonly createUrl: (bytes: Uint8Array) => string;
  private readonly revokeUrl: (url: string) => void;

  constructor(
    private readonly fetchBytes: (id: number) => Promise<Uint8Array>,
    options: ThumbnailCacheOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 4;
    this.capacity = options.capacity ?? 800;
    this.createUrl = options.createUrl ?? ((bytes) => URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'image/png' })));
    this.revokeUrl = options.revokeUrl ?? ((url) => URL.revokeObjectURL(url));
  }

  /** The URL if cached (and marks it recently used). */
  get(id: number): string | undefined {
    const url = this.urls.get(id);
    if (url !== undefined) {
      this.urls.delete(id);
      this.urls.set(id, url);
    }
    return url;
  }

  load(id: number, signal?: AbortSignal): Promise<string> {
    const cached = this.get(id);
    if (cached !== undefined) return Promise.resolve(cached);
    const running = this.running.get(id);
    if (running) return running;
    return new Promise<string>((resolve, reject) => {
      const waiter: Waiter = { id, resolve, reject, signal };
      this.queue.push(waiter);
      signal?.addEventListener('abort', () => {
        const at = this.queue.indexOf(waiter);
        if (at >= 0) {
          this.queue.splice(at, 1);
          reject(new DOMException('thumbnail no longer needed', 'AbortError'));
        }
      });
      this.pump();
    });
  }

  /** Drops cached thumbnails (e.g. of removed images), or all. */
  clear(ids?: number[]): void {
    for (const id of ids ?? [...this.urls.keys()]) {
      const url = this.urls.get(id);
      if (url !== undefined) this.revokeUrl(url);
      this.urls.delete(id);
    }
  }

  get size(): number {
    return this.urls.size;
  }

  private pump(): void {
    while (this.running.size < this.concurrency && this.queue.length > 0) {
      const waiter = this.queue.pop()!;
      const existing = this.running.get(waiter.id) ?? (this.urls.has(waiter.id) ? Promise.resolve(this.get(waiter.id)!) : null);
      if (existing) {
        existing.then(waiter.resolve, waiter.reject);
        continue;
      }
      const task = this.fetchBytes(waiter.id).then((bytes) => this.store(waiter.id, bytes));
      this.running.set(waiter.id, task);
      task.then(waiter.resolve, waiter.reject).finally(() => {
        this.running.delete(waiter.id);
        this.pump();
      });
    }
  }

  private store(id: number, bytes: Uint8Array): string {
    const url = this.createUrl(bytes);
    this.urls.set(id, url);
    while (this.urls.size > this.capacity) {
      const [oldest, oldUrl] = this.urls.entries().next().value as [number, string];
      this.urls.delete(oldest);
      this.revokeUrl(oldUrl);
    }
    return url;
  }
}
