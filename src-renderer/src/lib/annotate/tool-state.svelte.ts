import { UNLABELED_CLASS } from '../../../../src-shared/contract/records';
import type { PaintSpec } from './annotation-session.svelte';
import { stepBrushSize, type ToolId } from './shortcuts';

/** The painting settings of the Annotate view (kept while moving between images). */
export class ToolState {
  tool = $state<ToolId>('brush');
  brushSize = $state(8);
  /** Class painted by brush, fill and polygon (the eraser always paints unlabeled). */
  classValue = $state(2);
  /** Instance mode: each stroke of an object class is a new object. */
  newObject = $state(true);
  showOverlay = $state(true);
  overlayOpacity = $state(0.45);
  /** Lighten object borders so touching objects stay visibly apart. */
  outlines = $state(true);

  /** What the current tool paints. */
  spec(): PaintSpec {
    return { cls: this.tool === 'eraser' ? UNLABELED_CLASS : this.classValue, newObject: this.newObject };
  }

  stepSize(delta: number): void {
    this.brushSize = stepBrushSize(this.brushSize, delta);
  }

  setSize(size: number): void {
    if (Number.isFinite(size)) this.brushSize = Math.min(200, Math.max(1, Math.round(size)));
  }
}
