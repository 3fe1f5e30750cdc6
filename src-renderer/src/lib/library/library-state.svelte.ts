import { SvelteSet } from 'svelte/reactivity';
import { UnetError } from '../../../../src-shared/contract/errors';
import type { DatasetImport } from '../../../../src-shared/contract/images';
import type { UnetApi } from '../../../../src-shared/contract/index';
import { isFinished, type JobInfo, type JobOf } from '../../../../src-shared/contract/jobs';
import type { DatasetSummary, Split } from '../../../../src-shared/contract/records';
import type { ImagePlane, PlaneSizes } from '../../../../src-shared/imaging/image-plane';
import { ImagePages } from './image-pages.svelte';

export type AnnotatedFilter = 'all' | 'annotated' | 'unannotated';
export type SplitFilter = 'all' | Split | 'none';

export interface ImageFilters {
  annotated: AnnotatedFilter;
  split: SplitFilter;
  name: string;
}

/** A change of plane the service wants confirmed (annotated images would go with it), and why. */
export interface PlaneConflict {
  plane: ImagePlane;
  message: string;
}

/** Page size for "select all matching": the store's largest page. */
const SELECT_ALL_PAGE = 1000;

/**
 * State of the Library view: the data sets, the images of the open one under the filters, the
 * selection, and the running import. Every call goes through `window.unet`; failures land in
 * `error` as readable text.
 */
export class LibraryState {
  datasets = $state<DatasetSummary[]>([]);
  datasetsLoaded = $state(false);
  datasetId = $state<number | undefined>();
  filters = $state<ImageFilters>({ annotated: 'all', split: 'all', name: '' });
  readonly selection = new SvelteSet<number>();
  /** Index of the last plainly clicked tile: the anchor of Shift+click ranges. */
  anchor = $state<number | undefined>();
  importJob = $state<JobOf<'import'> | null>(null);
  error = $state<string | undefined>();
  busy = $state(false);
  /** The channels, focal planes and time points every image of the open data set has (null until known). */
  planeSizes = $state<PlaneSizes | null>(null);
  planeConflict = $state<PlaneConflict | null>(null);
  readonly images: ImagePages;

  constructor(private readonly api: () => UnetApi) {
    this.images = new ImagePages((offset, limit) => this.fetchPage(offset, limit));
  }

  get current(): DatasetSummary | undefined {
    return this.datasets.find((d) => d.id === this.datasetId);
  }

  async refreshDatasets(): Promise<void> {
    await this.guard(async () => {
      this.datasets = await this.api().datasets.list();
      this.datasetsLoaded = true;
      if (this.datasetId !== undefined && !this.datasets.some((d) => d.id === this.datasetId)) this.datasetId = undefined;
    });
  }

  async open(datasetId: number | undefined): Promise<void> {
    this.datasetId = datasetId;
    this.selection.clear();
    this.anchor = undefined;
    this.planeSizes = null;
    this.planeConflict = null;
    if (datasetId !== undefined) await Promise.all([this.images.reset(), this.refreshPlaneSizes()]);
  }

  /** Asks which planes the open data set's images have (after opening it and after imports). */
  async refreshPlaneSizes(): Promise<void> {
    const datasetId = this.datasetId;
    if (datasetId === undefined) return;
    try {
      const sizes = await this.api().datasets.planeSizes({ id: datasetId });
      if (this.datasetId === datasetId) this.planeSizes = sizes;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    }
  }

  /**
   * Chooses the plane of every image of the open data set. With annotated images the service asks
   * for a confirmation first: `planeConflict` holds it until `force` gives it or it is dismissed.
   */
  async setPlane(plane: ImagePlane, force = false): Promise<boolean> {
    const id = this.datasetId;
    if (id === undefined) return false;
    this.planeConflict = null;
    let failure: string | undefined;
    try {
      await this.api().datasets.setPlane({ id, plane, force });
    } catch (error) {
      if (error instanceof UnetError && error.code === 'CONFLICT') this.planeConflict = { plane, message: error.message };
      else failure = error instanceof Error ? error.message : String(error);
    }
    // The data set as stored either way: its plane shows in the fields again.
    await this.refreshDatasets();
    if (failure) this.error = failure;
    return failure === undefined && this.planeConflict === null;
  }

  async setFilters(change: Partial<ImageFilters>): Promise<void> {
    this.filters = { ...this.filters, ...change };
    this.selection.clear();
    this.anchor = undefined;
    if (this.datasetId !== undefined) await this.images.reset();
  }

  async createDataset(name: string): Promise<DatasetSummary | undefined> {
    return this.guard(async () => {
      const created = await this.api().datasets.create({ name, description: '' });
      await this.refreshDatasets();
      await this.open(created.id);
      return created;
    });
  }

  async renameDataset(id: number, name: string): Promise<void> {
    await this.guard(async () => {
      await this.api().datasets.rename({ id, name });
      await this.refreshDatasets();
    });
  }

  /** Deletes a data set; with `force` also its runs (the store refuses without it when runs exist). */
  async deleteDataset(id: number, force: boolean): Promise<void> {
    await this.guard(async () => {
      await this.api().datasets.delete({ id, force });
      if (this.datasetId === id) await this.open(undefined);
      await this.refreshDatasets();
    });
  }

  /** Starts an import job of files and folders (paths on the machine running the services). */
  async startImport(paths: string[], options: { recursive: boolean; masks: boolean }): Promise<void> {
    const datasetId = this.datasetId;
    if (datasetId === undefined || paths.length === 0) return;
    await this.guard(async () => {
      this.importJob = await this.api().images.import({ datasetId, paths, recursive: options.recursive, masks: options.masks });
    });
  }

  /** The first import's one step: a new data set named after the folder, opened, with its import running. */
  async importAsDataset(paths: string[], options: { recursive: boolean; masks: boolean }): Promise<DatasetSummary | undefined> {
    if (paths.length === 0) return undefined;
    return this.guard(() => this.openImport(this.api().images.importAsDataset({ paths, recursive: options.recursive, masks: options.masks })));
  }

  /** Imports the bundled demo data set (an ordinary import job) and opens it. */
  async openDemo(): Promise<DatasetSummary | undefined> {
    return this.guard(() => this.openImport(this.api().datasets.openDemo()));
  }

  private async openImport(started: Promise<DatasetImport>): Promise<DatasetSummary> {
    const { dataset, job } = await started;
    this.importJob = job;
    await this.refreshDatasets();
    await this.open(dataset.id);
    return dataset;
  }

  /** A job update from `jobs.onUpdate`; true when it finished the tracked import. */
  onJobUpdate(job: JobInfo): boolean {
    if (!this.importJob || job.id !== this.importJob.id || job.kind !== 'import') return false;
    this.importJob = job;
    return isFinished(job.status);
  }

  /** Plain click: select one; Ctrl/Cmd: toggle; Shift: range from the anchor over loaded images. */
  select(index: number, id: number, mode: 'single' | 'toggle' | 'range'): void {
    if (mode === 'range' && this.anchor !== undefined) {
      const [lo, hi] = this.anchor < index ? [this.anchor, index] : [index, this.anchor];
      for (const { index: i, record } of this.images.loadedItems()) if (i >= lo && i <= hi) this.selection.add(record.id);
      return;
    }
    if (mode === 'toggle') {
      if (this.selection.has(id)) this.selection.delete(id);
      else this.selection.add(id);
    } else {
      this.selection.clear();
      this.selection.add(id);
    }
    this.anchor = index;
  }

  /** Selects every image matching the filters (fetching pages beyond those on screen). */
  async selectAllMatching(): Promise<void> {
    const datasetId = this.datasetId;
    if (datasetId === undefined) return;
    await this.guard(async () => {
      for (let offset = 0; ; offset += SELECT_ALL_PAGE) {
        const page = await this.fetchPage(offset, SELECT_ALL_PAGE);
        for (const item of page.items) this.selection.add(item.id);
        if (offset + SELECT_ALL_PAGE >= page.total) break;
      }
    });
  }

  async assignSplit(split: Split | null): Promise<number> {
    const ids = [...this.selection];
    if (ids.length === 0) return 0;
    return (
      (await this.guard(async () => {
        const { updated } = await this.api().images.setSplit({ ids, split });
        await Promise.all([this.images.refresh(), this.refreshDatasets()]);
        return updated;
      })) ?? 0
    );
  }

  private fetchPage(offset: number, limit: number) {
    const datasetId = this.datasetId;
    if (datasetId === undefined) return Promise.resolve({ total: 0, offset, limit, items: [] });
    const { annotated, split, name } = this.filters;
    return this.api().images.list({
      datasetId,
      offset,
      limit,
      annotated: annotated === 'all' ? undefined : annotated === 'annotated',
      split: split === 'all' ? undefined : split,
      name: name.trim() || undefined,
    });
  }

  private async guard<T>(work: () => Promise<T>): Promise<T | undefined> {
    this.busy = true;
    try {
      const result = await work();
      this.error = undefined;
      return result;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      return undefined;
    } finally {
      this.busy = false;
    }
  }
}
