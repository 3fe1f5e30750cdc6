import { UnetError } from '../../../../src-shared/contract/errors';
import type { UnetApi } from '../../../../src-shared/contract/index';
import type { AnnotationSaveResult, AnnotationTiles, ClassDef, ImagePixels, ImageRecord } from '../../../../src-shared/contract/records';
import { FIRST_PLANE, type ImagePlane } from '../../../../src-shared/imaging/image-plane';
import { stackFrameIndex, stackPosition, type StackAxes, type StackPosition } from '../../../../src-shared/imaging/stack-axes';
import type { ContrastWindow } from '../viewer/contrast';
import { defaultChannel, displayStats, type ChannelChoice, type DisplayStats } from '../viewer/display-image';
import { frameOfPlane, openingChannel, planeOfView, showsPlane } from './dataset-plane';
import { AnnotationSession } from './annotation-session.svelte';
import { Autosave } from './autosave.svelte';
import { mapsFromTiles, PartialSaveError, saveInBatches, tilesAt } from './tile-transfer';

export type LoadStatus = 'empty' | 'loading' | 'ready' | 'error';

/** Images larger than this ask for a stored lower-resolution level to show while the frame loads. */
export const OVERVIEW_MIN_SIDE = 1024;

/**
 * The image open in the Annotate view: its record, the shown frame's raw pixels with the contrast
 * window, the data set's class palette, the label maps being painted and their autosave. Loading
 * another image first saves what was painted on this one.
 */
export class AnnotateController {
  status = $state<LoadStatus>('empty');
  error = $state<string | undefined>();
  /** Something the user should know that is not an error of the last call (e.g. a reload). */
  notice = $state<string | undefined>();
  record = $state.raw<ImageRecord | null>(null);
  pixels = $state.raw<ImagePixels | null>(null);
  /**
   * A pyramidal TIFF's stored lower-resolution level, shown (scaled to the image) while the full
   * frame loads; null once it is there, or when the file stores none.
   */
  overview = $state.raw<ImagePixels | null>(null);
  frame = $state(0);
  /** Channel / focal plane / time axes of an OME-TIFF or ImageJ hyperstack; null for plain stacks. */
  axes = $state.raw<StackAxes | null>(null);
  /** The (c, z, t) of the shown frame, when the image has axes. */
  readonly plane = $derived<StackPosition | null>(this.axes ? stackPosition(this.axes, this.frame) : null);
  channel = $state<ChannelChoice>(0);
  stats = $state.raw<DisplayStats | null>(null);
  window = $state<ContrastWindow>({ min: 0, max: 255, gamma: 1 });
  classes = $state<ClassDef[]>([]);
  /** The data set's plane: the one its images are annotated, trained on and segmented at. */
  datasetPlane = $state.raw<ImagePlane>(FIRST_PLANE);
  private readonly view = $derived({ frame: this.frame, axes: this.axes, channel: this.channel, samples: this.record?.channels ?? 1 });
  /** Painting is on only while the data set's plane is shown. */
  readonly onDatasetPlane = $derived(showsPlane(this.view, this.datasetPlane));
  /** False when this image has no such plane (it came after the plane was chosen). */
  readonly hasDatasetPlane = $derived(frameOfPlane(this.view, this.datasetPlane) !== null);
  /** The shown plane, when a data set could choose it. */
  readonly shownPlane = $derived(this.record ? planeOfView(this.view) : null);
  /** Why making the shown plane the data set's needs a confirmation (its annotated images go with it). */
  planeConflict = $state<string | undefined>();
  readonly session = new AnnotationSession();
  readonly autosave: Autosave;

  private loadSeq = 0;
  /** The notice of the last gesture that painted nothing; the next edit clears it. */
  private refusal: string | undefined;
  /** While the service saves an accepted prediction, its "saved" event is this window's own save. */
  private accepting = false;

  constructor(private readonly api: () => UnetApi) {
    this.autosave = new Autosave({ save: (base) => this.saveMaps(base), reload: () => this.reloadAnnotation(true) });
    this.session.onEdit = () => {
      if (this.refusal !== undefined && this.notice === this.refusal) this.notice = undefined;
      this.refusal = undefined;
      this.autosave.markDirty();
    };
    this.session.canPaint = () => this.onDatasetPlane;
  }

  /** A press or stroke painted nothing: say why (strokes are never dropped silently). */
  refuse(message: string): void {
    this.refusal = message;
    this.notice = message;
  }

  /** Opens an image (undefined: none), after saving the current one. */
  async open(imageId: number | undefined): Promise<void> {
    const seq = ++this.loadSeq;
    await this.autosave.flush();
    if (seq !== this.loadSeq) return;
    if (imageId === undefined) {
      this.status = 'empty';
      return;
    }
    this.status = 'loading';
    this.error = undefined;
    this.notice = undefined;
    this.overview = null;
    try {
      const api = this.api();
      const record = await api.images.get({ id: imageId });
      // The stored level first: the server decodes one image at a time, so asked together it would come after the frame.
      if (Math.max(record.width, record.height) > OVERVIEW_MIN_SIDE) {
        const level = await api.images.readLevel({ id: imageId, minSide: OVERVIEW_MIN_SIDE }).catch(() => null);
        if (level && seq === this.loadSeq) this.showOverview(level);
      }
      if (seq !== this.loadSeq) return;
      const [dataset, pixels, annotation] = await Promise.all([
        api.datasets.get({ id: record.datasetId }),
        api.images.read({ id: imageId }),
        api.annotations.tiles({ imageId }),
      ]);
      if (seq !== this.loadSeq) return;
      this.record = record;
      this.classes = dataset.classes;
      this.datasetPlane = dataset.plane;
      this.planeConflict = undefined;
      this.frame = pixels.frame;
      this.axes = pixels.axes ?? null;
      this.showPixels(pixels, openingChannel(pixels, dataset.plane));
      this.loadAnnotation(annotation);
      this.overview = null;
      this.status = 'ready';
    } catch (error) {
      if (seq !== this.loadSeq) return;
      this.overview = null;
      this.status = 'error';
      this.error = message(error);
    }
  }

  /** Shows another frame of a stack (the annotation is one per image, shared by its frames). */
  async setFrame(frame: number): Promise<void> {
    const record = this.record;
    if (!record || frame < 0 || frame >= record.frames || frame === this.frame) return;
    const seq = this.loadSeq;
    this.frame = frame;
    try {
      const pixels = await this.api().images.read({ id: record.id, frame });
      if (seq === this.loadSeq && this.frame === frame) this.showPixels(pixels, this.channel, true);
    } catch (error) {
      this.error = message(error);
    }
  }

  /** Shows another channel, focal plane or time point of a hyperstack. */
  async setPlane(axis: keyof StackPosition, value: number): Promise<void> {
    const axes = this.axes;
    const plane = this.plane;
    if (!axes || !plane) return;
    let frame: number;
    try {
      frame = stackFrameIndex(axes, { ...plane, [axis]: value });
    } catch {
      return; // outside the stack: a slider end or shortcut past it
    }
    await this.setFrame(frame);
  }

  /** Shows the data set's plane again, after looking at others. */
  async showDatasetPlane(): Promise<void> {
    const plane = this.datasetPlane;
    const frame = frameOfPlane(this.view, plane);
    if (frame === null) return;
    await this.setFrame(frame);
    if (!this.axes && plane.c !== null) this.setChannel(plane.c);
  }

  /**
   * Makes the shown plane the data set's. With annotated images the service asks for a confirmation
   * first (`planeConflict`); `force` gives it.
   */
  async useShownPlane(force = false): Promise<boolean> {
    const record = this.record;
    const plane = this.shownPlane;
    if (!record || !plane) return false;
    this.planeConflict = undefined;
    try {
      this.datasetPlane = (await this.api().datasets.setPlane({ id: record.datasetId, plane, force })).plane;
      return true;
    } catch (error) {
      if (error instanceof UnetError && error.code === 'CONFLICT') this.planeConflict = error.message;
      else this.error = message(error);
      return false;
    }
  }

  /** A data set changed (here or in another window): follow its plane. */
  async onDatasetChanged(datasetId: number): Promise<void> {
    const record = this.record;
    if (!record || record.datasetId !== datasetId) return;
    try {
      const dataset = await this.api().datasets.get({ id: datasetId });
      if (this.record?.id === record.id) this.datasetPlane = dataset.plane;
    } catch (error) {
      this.error = message(error);
    }
  }

  setChannel(channel: ChannelChoice): void {
    if (this.pixels) this.showPixels(this.pixels, channel);
  }

  resetContrast(): void {
    if (this.stats) this.window = { ...this.stats.auto };
  }

  /** Replaces the data set's palette (add, rename or recolour classes). */
  async saveClasses(classes: ClassDef[]): Promise<boolean> {
    const record = this.record;
    if (!record) return false;
    try {
      this.classes = await this.api().datasets.setClasses({ id: record.datasetId, classes });
      return true;
    } catch (error) {
      this.error = message(error);
      return false;
    }
  }

  /**
   * Another window (or the import of a mask) saved this image's annotation: with nothing unsaved here,
   * show that version; with unsaved strokes, the next save gets CONFLICT and reloads then.
   */
  async onSavedElsewhere(imageId: number, version: number): Promise<void> {
    const record = this.record;
    const save = this.autosave;
    if (!record || record.id !== imageId || version <= save.version || save.dirty || save.status === 'saving' || this.session.strokeActive || this.accepting) return;
    try {
      const latest = await this.reloadAnnotation(false);
      save.reset(latest);
    } catch (error) {
      this.error = message(error);
    }
  }

  /**
   * Makes a run's prediction this image's annotation: pending strokes are saved first, the service saves
   * the prediction as a new version (source 'prediction'), and the maps on screen take it as one change
   * that undo reverts (and autosave then saves). True once the maps on screen are the accepted ones.
   */
  async acceptPrediction(runId: number): Promise<boolean> {
    const record = this.record;
    if (!record || this.status !== 'ready' || !this.onDatasetPlane) return false;
    await this.autosave.flush();
    if (this.record?.id !== record.id || this.autosave.status === 'conflict') return false;
    this.accepting = true;
    try {
      const accepted = await this.api().annotations.acceptPrediction({ imageId: record.id, runId, baseVersion: this.autosave.version });
      if (this.record?.id !== record.id) return false;
      this.session.replace(accepted);
      this.autosave.reset(accepted.version);
      return true;
    } catch (error) {
      this.error = message(error);
      return false;
    } finally {
      this.accepting = false;
    }
  }

  /** The image before or after this one in the data set (or the nearest unannotated one); null at an end. */
  async neighbour(direction: 'previous' | 'next', unannotated = false): Promise<number | null> {
    const record = this.record;
    if (!record) return null;
    try {
      return (await this.api().images.neighbour({ id: record.id, direction, unannotated })).imageId;
    } catch (error) {
      this.error = message(error);
      return null;
    }
  }

  /** Saves pending strokes now (leaving the view, closing the window). */
  flush(): Promise<void> {
    return this.autosave.flush();
  }

  private showOverview(level: ImagePixels): void {
    const channel = defaultChannel(level);
    this.channel = channel === 'rgb' && level.channels < 3 ? 0 : channel;
    this.stats = displayStats(level, this.channel);
    this.window = { ...this.stats.auto };
    this.overview = level;
  }

  private showPixels(pixels: ImagePixels, channel: ChannelChoice, keepWindow = false): void {
    this.channel = channel === 'rgb' && pixels.channels < 3 ? 0 : typeof channel === 'number' ? Math.min(channel, pixels.channels - 1) : channel;
    this.stats = displayStats(pixels, this.channel);
    if (!keepWindow) this.window = { ...this.stats.auto };
    this.pixels = pixels;
  }

  private loadAnnotation(annotation: AnnotationTiles): void {
    this.session.load(mapsFromTiles(annotation));
    this.autosave.reset(annotation.version);
  }

  /**
   * Saves the tiles changed since the last save began: a stroke costs the tiles it touched, whatever
   * the image size. The tiles are copied now, so strokes painted while the call travels mark their
   * tiles again for the next save; tiles that did not go through are marked again for the retry.
   */
  private async saveMaps(baseVersion: number): Promise<AnnotationSaveResult> {
    const record = this.record;
    const maps = this.session.maps;
    const dirty = this.session.dirty;
    if (!record || !maps || !dirty) throw new Error('no annotation is open');
    const indices = dirty.take();
    if (indices.length === 0) return { imageId: record.id, version: baseVersion, createdAt: '', unchanged: true };
    const tiles = tilesAt(maps, dirty.grid, indices);
    try {
      return await saveInBatches(tiles, baseVersion, (batch, base) => this.api().annotations.saveTiles({ imageId: record.id, baseVersion: base, tiles: batch }));
    } catch (error) {
      const sent = error instanceof PartialSaveError ? error.sent : 0;
      if (this.session.dirty === dirty) dirty.restore(tiles.slice(sent).map((t) => t.ty * dirty.grid.across + t.tx));
      throw error;
    }
  }

  /** Shows the latest saved version; `discarded` says unsaved strokes were lost to a conflict. */
  private async reloadAnnotation(discarded: boolean): Promise<number> {
    const record = this.record;
    if (!record) return 0;
    const annotation = await this.api().annotations.tiles({ imageId: record.id });
    this.session.load(mapsFromTiles(annotation));
    this.notice = discarded
      ? `This annotation was saved elsewhere meanwhile: version ${annotation.version} was reloaded and your unsaved strokes were discarded.`
      : `This annotation was saved elsewhere: version ${annotation.version} is shown now.`;
    return annotation.version;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
