import { UnetError } from '../../../../src-shared/contract/errors';
import type { AnnotationSaveResult } from '../../../../src-shared/contract/records';
import { PartialSaveError } from './tile-transfer';

export type SaveStatus = 'clean' | 'pending' | 'saving' | 'saved' | 'error' | 'conflict';

export interface AutosaveOptions {
  /** Saves a snapshot of the maps as a new version on top of baseVersion. */
  save(baseVersion: number): Promise<AnnotationSaveResult>;
  /** Called on CONFLICT: reload the latest version; returns the version now shown. */
  reload(): Promise<number>;
  /** Quiet time after the last edit before saving. */
  delayMs?: number;
  /** Wait before retrying a save that failed for another reason than a conflict. */
  retryMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/**
 * Debounced autosave of the open annotation. Saves one at a time, each on top of the version the last
 * acknowledged save returned; "saved" is shown only once the store has committed it. Edits made while a
 * save travels are saved by the next one. On CONFLICT (someone else saved meanwhile) the latest version
 * is reloaded and the user is told.
 */
export class Autosave {
  status = $state<SaveStatus>('clean');
  /** Version the maps on screen are based on (0 = none yet). */
  version = $state(0);
  /** Readable detail for errors and conflicts. */
  message = $state('');

  private edits = 0;
  private savedEdits = 0;
  private timer: unknown = null;
  private inFlight: Promise<void> | null = null;
  private readonly delayMs: number;
  private readonly retryMs: number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly options: AutosaveOptions) {
    this.delayMs = options.delayMs ?? 1000;
    this.retryMs = options.retryMs ?? 5000;
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  }

  /** A fresh start on a loaded version (no unsaved edits). */
  reset(version: number): void {
    this.cancelTimer();
    this.version = version;
    this.edits = 0;
    this.savedEdits = 0;
    this.status = version > 0 ? 'saved' : 'clean';
    this.message = '';
  }

  get dirty(): boolean {
    return this.edits !== this.savedEdits;
  }

  /** The maps changed: save after the quiet time. */
  markDirty(): void {
    this.edits++;
    if (this.status !== 'saving') this.status = 'pending';
    this.schedule(this.delayMs);
  }

  /** Saves now if anything is unsaved, and resolves once the store acknowledged (or the save failed). */
  async flush(): Promise<void> {
    this.cancelTimer();
    while (this.inFlight) await this.inFlight;
    if (this.dirty && this.status !== 'conflict') await this.run();
  }

  dispose(): void {
    this.cancelTimer();
  }

  private schedule(ms: number): void {
    this.cancelTimer();
    this.timer = this.setTimer(() => {
      this.timer = null;
      void this.flush();
    }, ms);
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }

  private run(): Promise<void> {
    const promise = this.saveOnce().finally(() => {
      if (this.inFlight === promise) this.inFlight = null;
    });
    this.inFlight = promise;
    return promise;
  }

  private async saveOnce(): Promise<void> {
    const editsAtStart = this.edits;
    this.status = 'saving';
    try {
      const result = await this.options.save(this.version);
      this.version = result.version;
      this.savedEdits = editsAtStart;
      this.message = '';
      if (this.dirty) {
        this.status = 'pending';
        this.schedule(this.delayMs);
      } else {
        this.status = 'saved';
      }
    } catch (caught) {
      let error = caught;
      // Part of the edit is saved: later parts go on top of that version.
      if (error instanceof PartialSaveError) {
        this.version = error.saved.version;
        error = error.reason;
      }
      if (error instanceof UnetError && error.code === 'CONFLICT') {
        await this.handleConflict();
        return;
      }
      this.status = 'error';
      this.message = error instanceof Error ? error.message : String(error);
      this.schedule(this.retryMs);
    }
  }

  private async handleConflict(): Promise<void> {
    this.status = 'conflict';
    try {
      const latest = await this.options.reload();
      this.version = latest;
      this.edits = 0;
      this.savedEdits = 0;
      this.message = `this annotation was saved elsewhere; version ${latest} was reloaded and the unsaved strokes were discarded`;
    } catch (error) {
      this.message = `this annotation was saved elsewhere and reloading it failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
}

/** The text of the save indicator. */
export function saveStateText(status: SaveStatus, version: number, message: string): string {
  switch (status) {
    case 'clean':
      return 'no annotation yet';
    case 'pending':
      return 'changes pending';
    case 'saving':
      return 'saving…';
    case 'saved':
      return `saved · v${version}`;
    case 'error':
      return `error: ${message} (retrying)`;
    case 'conflict':
      return `error: conflict — ${message}`;
  }
}
