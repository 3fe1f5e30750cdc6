import { BACKGROUND_CLASS, UNLABELED_CLASS } from '../../../../src-shared/contract/records';
import { DirtyTiles } from './dirty-tiles';
import { growRect, maxInstanceId, type LabelMaps, type PixelRect } from './label-maps';
import { brushSegment, fillPolygon, floodFill4, type PixelVisitor, type Point } from './raster';
import { applyDiff, StrokeRecorder } from './stroke-diff';
import { UndoStack } from './undo-stack';

/** What a paint operation writes: a class, and whether object classes start a new object. */
export interface PaintSpec {
  cls: number;
  /** True: each stroke of an object class is a new object (new instance id). False: a stroke extends the object it starts on. */
  newObject: boolean;
}

type RegionListener = (rect: PixelRect) => void;

/** How a stroke ended: it changed labels, covered only labels it would not change, or missed the image. */
export type StrokeOutcome = 'changed' | 'unchanged' | 'outside' | 'none';

/**
 * The label maps of the open image with the painting operations on them. Every operation is recorded as
 * a stroke diff for undo/redo; listeners hear which region changed (to redraw just that) and `onEdit`
 * hears that the maps differ from what was saved (to autosave).
 */
export class AnnotationSession {
  maps = $state.raw<LabelMaps | null>(null);
  /** Bumped after each completed change, so derived views (weight map) can refresh. */
  revision = $state(0);
  canUndo = $state(false);
  canRedo = $state(false);
  onEdit: (() => void) | null = null;
  /** False while the maps must not be painted (another plane than the annotated one is shown); undo stays. */
  canPaint: () => boolean = () => true;
  /** The tiles changed since the last save began (null before any maps are loaded). */
  dirty: DirtyTiles | null = null;

  private nextInstance = 1;
  private readonly history = new UndoStack();
  private recorder: StrokeRecorder | null = null;
  private stroke: { spec: PaintSpec; instance: number; size: number; last: Point; touched: boolean } | null = null;
  private readonly listeners = new Set<RegionListener>();

  /** Subscribes to changed regions (already grown by the 1-pixel outline margin). */
  onRegionChanged(listener: RegionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  load(maps: LabelMaps): void {
    this.stroke = null;
    this.maps = maps;
    this.recorder = new StrokeRecorder(maps);
    this.dirty = new DirtyTiles(maps.width, maps.height);
    this.nextInstance = maxInstanceId(maps.instanceMap) + 1;
    this.history.clear();
    this.syncHistory();
    this.revision++;
    this.emit({ x: 0, y: 0, width: maps.width, height: maps.height });
  }

  get strokeActive(): boolean {
    return this.stroke !== null;
  }

  /** Starts a stroke; false when there are no maps to paint on (the caller says so). */
  beginStroke(at: Point, size: number, spec: PaintSpec): boolean {
    const maps = this.maps;
    if (!maps || !this.recorder || !this.canPaint()) return false;
    this.recorder.begin();
    this.stroke = { spec, size, last: at, instance: this.instanceFor(spec, at), touched: false };
    this.paintSegment(at, at);
    return true;
  }

  extendStroke(to: Point): void {
    if (!this.stroke) return;
    const from = this.stroke.last;
    this.stroke.last = to;
    this.paintSegment(from, to);
  }

  /** Ends the stroke; true when it changed anything. */
  endStroke(): boolean {
    return this.finishStroke() === 'changed';
  }

  /** Ends the stroke and says what it did. */
  finishStroke(): StrokeOutcome {
    const stroke = this.stroke;
    if (!stroke) return 'none';
    this.stroke = null;
    if (this.commit()) return 'changed';
    return stroke.touched ? 'unchanged' : 'outside';
  }

  /** Fills the 4-connected region of equal labels under `at`. */
  fill(at: Point, spec: PaintSpec): boolean {
    const maps = this.maps;
    if (!maps || !this.recorder || !this.canPaint()) return false;
    const { width, height, classMap, instanceMap } = maps;
    const x = Math.floor(at.x);
    const y = Math.floor(at.y);
    if (x < 0 || y < 0 || x >= width || y >= height) return false;
    const seed = y * width + x;
    const seedClass = classMap[seed];
    const seedInstance = instanceMap[seed];
    const instance = this.instanceFor(spec, at);
    this.recorder.begin();
    const { visit, rect } = this.painter(spec.cls, instance);
    floodFill4(x, y, width, height, (i) => classMap[i] === seedClass && instanceMap[i] === seedInstance, visit);
    this.emitRect(rect);
    return this.commit();
  }

  /** Fills a closed polygon (a lasso is a polygon with many vertices). */
  polygon(vertices: readonly Point[], spec: PaintSpec): boolean {
    const maps = this.maps;
    if (!maps || !this.recorder || vertices.length < 3 || !this.canPaint()) return false;
    const instance = this.instanceFor(spec, vertices[0], true);
    this.recorder.begin();
    const { visit, rect } = this.painter(spec.cls, instance);
    fillPolygon(vertices, maps.width, maps.height, visit);
    this.emitRect(rect);
    return this.commit();
  }

  /** Replaces every label at once (a prediction accepted as the annotation), as one change that undo reverts. */
  replace(next: { classMap: Uint8Array; instanceMap: Uint32Array }): boolean {
    const maps = this.maps;
    if (!maps || !this.recorder || this.stroke || !this.canPaint()) return false;
    if (next.classMap.length !== maps.classMap.length || next.instanceMap.length !== maps.instanceMap.length) return false;
    this.recorder.begin();
    for (let i = 0; i < next.classMap.length; i++) this.recorder.paint(i, next.classMap[i], next.instanceMap[i]);
    this.emit({ x: 0, y: 0, width: maps.width, height: maps.height });
    return this.commit();
  }

  undo(): boolean {
    return this.replay('undo');
  }

  redo(): boolean {
    return this.replay('redo');
  }

  private replay(direction: 'undo' | 'redo'): boolean {
    const maps = this.maps;
    if (!maps || this.stroke) return false;
    const diff = direction === 'undo' ? this.history.undo() : this.history.redo();
    if (!diff) return false;
    applyDiff(maps, diff, direction);
    this.dirty?.markPixels(diff.indices);
    this.syncHistory();
    this.revision++;
    this.emit(growRect(diff.bounds, 1, maps.width, maps.height));
    this.onEdit?.();
    return true;
  }

  private commit(): boolean {
    const diff = this.recorder?.end() ?? null;
    if (!diff) return false;
    this.history.push(diff);
    this.dirty?.markPixels(diff.indices);
    for (let k = 0; k < diff.newInstance.length; k++) if (diff.newInstance[k] >= this.nextInstance) this.nextInstance = diff.newInstance[k] + 1;
    this.syncHistory();
    this.revision++;
    this.onEdit?.();
    return true;
  }

  /**
   * Unlabeled and background carry no object (instance 0). An object class gets a new id, or, when not
   * starting a new object, the id of the same-class object under the start point.
   */
  private instanceFor(spec: PaintSpec, at: Point, forceNew = false): number {
    if (spec.cls === UNLABELED_CLASS || spec.cls === BACKGROUND_CLASS) return 0;
    const maps = this.maps!;
    if (!spec.newObject && !forceNew) {
      const x = Math.floor(at.x);
      const y = Math.floor(at.y);
      if (x >= 0 && y >= 0 && x < maps.width && y < maps.height) {
        const i = y * maps.width + x;
        if (maps.classMap[i] === spec.cls && maps.instanceMap[i] !== 0) return maps.instanceMap[i];
      }
    }
    return this.nextInstance++;
  }

  private paintSegment(from: Point, to: Point): void {
    const maps = this.maps!;
    const stroke = this.stroke!;
    const { visit, rect } = this.painter(stroke.spec.cls, stroke.instance);
    brushSegment(from, to, stroke.size, maps.width, maps.height, (i) => {
      stroke.touched = true;
      visit(i);
    });
    this.emitRect(rect);
  }

  /** A visitor that paints through the recorder and tracks the bounding box of what changed. */
  private painter(cls: number, instance: number): { visit: PixelVisitor; rect: { minX: number; minY: number; maxX: number; maxY: number } } {
    const recorder = this.recorder!;
    const width = this.maps!.width;
    const rect = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
    const visit: PixelVisitor = (i) => {
      if (!recorder.paint(i, cls, instance)) return;
      const y = Math.floor(i / width);
      const x = i - y * width;
      if (x < rect.minX) rect.minX = x;
      if (x > rect.maxX) rect.maxX = x;
      if (y < rect.minY) rect.minY = y;
      if (y > rect.maxY) rect.maxY = y;
    };
    return { visit, rect };
  }

  private emitRect(r: { minX: number; minY: number; maxX: number; maxY: number }): void {
    if (r.maxX < r.minX) return;
    const maps = this.maps!;
    this.emit(growRect({ x: r.minX, y: r.minY, width: r.maxX - r.minX + 1, height: r.maxY - r.minY + 1 }, 1, maps.width, maps.height));
  }

  private emit(rect: PixelRect): void {
    for (const listener of this.listeners) listener(rect);
  }

  private syncHistory(): void {
    this.canUndo = this.history.canUndo;
    this.canRedo = this.history.canRedo;
  }
}
