import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UnetError } from '../../../src-shared/contract/errors';
import type { AnnotationSaveResult } from '../../../src-shared/contract/records';
import { Autosave, saveStateText } from '../../../src-renderer/src/lib/annotate/autosave.svelte';
import { PartialSaveError } from '../../../src-renderer/src/lib/annotate/tile-transfer';

function result(version: number): AnnotationSaveResult {
  return { imageId: 1, version, createdAt: '2025-01-01T00:00:00Z', unchanged: false };
}

describe('autosave', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('saves once, 1 s after the last of a burst of strokes, on top of the loaded version', async () => {
    const save = vi.fn(async (base: number) => result(base + 1));
    const a = new Autosave({ save, reload: async () => 0 });
    a.reset(3);
    expect(a.status).toBe('saved');
    a.markDirty();
    await vi.advanceTimersByTimeAsync(500);
    a.markDirty();
    await vi.advanceTimersByTimeAsync(900);
    expect(save).not.toHaveBeenCalled();
    expect(a.status).toBe('pending');
    await vi.advanceTimersByTimeAsync(200);
    expect(save).toHaveBeenCalledTimes(1);
    expect(save).toHaveBeenCalledWith(3);
    expect(a.status).toBe('saved');
    expect(a.version).toBe(4);
    expect(saveStateText(a.status, a.version, a.message)).toBe('saved · v4');
  });

  it('shows "saving" until the store acknowledges, and saves edits made meanwhile next', async () => {
    let finish!: (r: AnnotationSaveResult) => void;
    const save = vi.fn((base: number) => new Promise<AnnotationSaveResult>((resolve) => (finish = (r) => resolve(r ?? result(base + 1)))));
    const a = new Autosave({ save, reload: async () => 0 });
    a.reset(0);
    a.markDirty();
    await vi.advanceTimersByTimeAsync(1000);
    expect(a.status).toBe('saving');
    expect(saveStateText(a.status, a.version, a.message)).toContain('saving');
    a.markDirty();
    finish(result(1));
    await vi.advanceTimersByTimeAsync(0);
    expect(a.status).toBe('pending');
    await vi.advanceTimersByTimeAsync(1000);
    expect(save).toHaveBeenLastCalledWith(1);
    finish(result(2));
    await vi.advanceTimersByTimeAsync(0);
    expect(a.status).toBe('saved');
    expect(a.version).toBe(2);
  });

  it('flush saves at once (leaving the image) and waits for the acknowledgement', async () => {
    const save = vi.fn(async (base: number) => result(base + 1));
    const a = new Autosave({ save, reload: async () => 0 });
    a.reset(5);
    await a.flush();
    expect(save).not.toHaveBeenCalled();
    a.markDirty();
    await a.flush();
    expect(save).toHaveBeenCalledTimes(1);
    expect(a.status).toBe('saved');
    await vi.advanceTimersByTimeAsync(5000);
    expect(save).toHaveBeenCalledTimes(1);
  });

  it('reports errors and retries', async () => {
    let fail = true;
    const save = vi.fn(async (base: number) => {
      if (fail) throw new UnetError('IO_ERROR', 'disk unplugged');
      return result(base + 1);
    });
    const a = new Autosave({ save, reload: async () => 0, retryMs: 3000 });
    a.reset(1);
    a.markDirty();
    await vi.advanceTimersByTimeAsync(1000);
    expect(a.status).toBe('error');
    expect(saveStateText(a.status, a.version, a.message)).toBe('error: disk unplugged (retrying)');
    fail = false;
    await vi.advanceTimersByTimeAsync(3000);
    expect(a.status).toBe('saved');
    expect(a.version).toBe(2);
  });

  it('on CONFLICT reloads the latest version and says so', async () => {
    const save = vi.fn(async () => {
      throw new UnetError('CONFLICT', 'version 7 exists');
    });
    const reload = vi.fn(async () => 7);
    const a = new Autosave({ save, reload });
    a.reset(6);
    a.markDirty();
    await vi.advanceTimersByTimeAsync(1000);
    expect(reload).toHaveBeenCalledTimes(1);
    expect(a.status).toBe('conflict');
    expect(a.version).toBe(7);
    expect(a.dirty).toBe(false);
    const text = saveStateText(a.status, a.version, a.message);
    expect(text).toContain('error');
    expect(text).toContain('version 7 was reloaded');
  });

  it('after a save that went through in part, retries on top of the version that part made', async () => {
    const save = vi.fn(async (base: number) => result(base + 1));
    save.mockRejectedValueOnce(new PartialSaveError(result(8), 3, new UnetError('IO_ERROR', 'connection lost')));
    const a = new Autosave({ save, reload: async () => 0 });
    a.reset(6);
    a.markDirty();
    await vi.advanceTimersByTimeAsync(1000);
    expect(a.status).toBe('error');
    expect(a.version).toBe(8);
    expect(a.message).toBe('connection lost');
    await vi.advanceTimersByTimeAsync(5000);
    expect(save).toHaveBeenLastCalledWith(8);
    expect(a.status).toBe('saved');
    expect(a.version).toBe(9);
  });
});
