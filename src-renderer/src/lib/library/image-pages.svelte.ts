import type { ImagePage, ImageRecord } from '../../../../src-shared/contract/records';

export type PageFetcher = (offset: number, limit: number) => Promise<ImagePage>;

/**
 * The images of a data set (under the current filters), fetched a page at a time as the grid scrolls
 * to them. `total` is known after the first page; `version` changes whenever a page arrives so
 * that views reading `at()` update.
 */
export class ImagePages {
  total = $state(0);
  version = $state(0);
  loaded = $state(false);
  error = $state<string | undefined>();

  private pages = new Map<number, ImageRecord[]>();
  private inflight = new Set<number>();
  private generation = 0;

  constructor(
    private fetchPage: PageFetcher,
    readonly pageSize = 200,
  ) {}

  /** Forgets everything and loads the first page (a new data set or new filters). */
  reset(fetchPage?: PageFetcher): Promise<void> {
    if (fetchPage) this.fetchPage = fetchPage;
    this.generation++;
    this.pages.clear();
    this.inflight.clear();
    this.loaded = false;
    this.total = 0;
    this.error = undefined;
    this.version++;
    return this.load(0);
  }

  /** The image at a position, if its page is loaded (reading this subscribes to page arrivals). */
  at(index: number): ImageRecord | undefined {
    void this.version;
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /** Loads the pages covering [start, end) that are not loaded yet. */
  ensureRange(start: number, end: number): void {
    if (end <= start) return;
    const first = Math.floor(start / this.pageSize);
    const last = Math.floor((end - 1) / this.pageSize);
    for (let p = first; p <= last; p++) if (!this.pages.has(p) && !this.inflight.has(p)) void this.load(p);
  }

  /** Re-fetches the loaded pages in place (after a split change, an import, a save elsewhere). */
  async refresh(): Promise<void> {
    const pages = this.pages.size > 0 ? [...this.pages.keys()] : [0];
    await Promise.all(pages.map((p) => this.load(p, true)));
  }

  /** Every loaded record, in order (for range selection). */
  loadedItems(): { index: number; record: ImageRecord }[] {
    const out: { index: number; record: ImageRecord }[] = [];
    for (const [p, items] of [...this.pages.entries()].sort((a, b) => a[0] - b[0])) items.forEach((record, k) => out.push({ index: p * this.pageSize + k, record }));
    return out;
  }

  private async load(page: number, force = false): Promise<void> {
    if (this.inflight.has(page) && !force) return;
    const generation = this.generation;
    this.inflight.add(page);
    try {
      const result = await this.fetchPage(page * this.pageSize, this.pageSize);
      if (generation !== this.generation) return;
      this.pages.set(page, result.items);
      if (result.total !== this.total) {
        this.total = result.total;
        // Pages past the new end are stale.
        for (const p of [...this.pages.keys()]) if (p * this.pageSize >= result.total && p !== 0) this.pages.delete(p);
      }
      this.error = undefined;
      this.loaded = true;
    } catch (error) {
      if (generation === this.generation) this.error = error instanceof Error ? error.message : String(error);
    } finally {
      if (generation === this.generation) {
        this.inflight.delete(page);
        this.version++;
      }
    }
  }
}
