import { diffBytes, type StrokeDiff } from './stroke-diff';

/** Undo keeps this much stroke history by default (bytes of diffs), dropping the oldest beyond it. */
export const DEFAULT_UNDO_BUDGET_BYTES = 256 * 1024 * 1024;

/**
 * Undo/redo over stroke diffs. A new stroke clears the redo side; the oldest strokes go once the diffs
 * exceed the byte budget (the newest stroke is always kept, however large).
 */
export class UndoStack {
  private done: StrokeDiff[] = [];
  private undone: StrokeDiff[] = [];
  private bytes = 0;

  constructor(private readonly budgetBytes = DEFAULT_UNDO_BUDGET_BYTES) {}

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  get undoDepth(): number {
    return this.done.length;
  }

  get redoDepth(): number {
    return this.undone.length;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  push(diff: StrokeDiff): void {
    for (const d of this.undone) this.bytes -= diffBytes(d);
    this.undone = [];
    this.done.push(diff);
    this.bytes += diffBytes(diff);
    while (this.bytes > this.budgetBytes && this.done.length > 1) this.bytes -= diffBytes(this.done.shift()!);
  }

  /** The stroke to revert (the caller applies it with direction 'undo'), or undefined. */
  undo(): StrokeDiff | undefined {
    const diff = this.done.pop();
    if (diff) this.undone.push(diff);
    return diff;
  }

  /** The stroke to re-apply (direction 'redo'), or undefined. */
  redo(): StrokeDiff | undefined {
    const diff = this.undone.pop();
    if (diff) this.done.push(diff);
    return diff;
  }

  clear(): void {
    this.done = [];
    this.undone = [];
    this.bytes = 0;
  }
}
