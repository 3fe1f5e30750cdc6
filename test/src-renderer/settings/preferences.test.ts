import { describe, expect, it } from 'vitest';
import { DEFAULT_PREFERENCES, loadPreferences, PREFERENCES_KEY, sanitizePreferences, savePreferences, type KeyValueStorage } from '../../../src-renderer/src/lib/settings/preferences';

function memory(initial: Record<string, string> = {}): KeyValueStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return { data, getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) };
}

describe('preferences', () => {
  it('round-trips through storage', () => {
    const storage = memory();
    savePreferences(storage, { backend: 'wasm', preset: 'tiny', w0: 5, sigma: 3, tta: true });
    expect(loadPreferences(storage)).toEqual({ backend: 'wasm', preset: 'tiny', w0: 5, sigma: 3, tta: true });
  });

  it('falls back to defaults for missing, damaged or invalid entries', () => {
    expect(loadPreferences(undefined)).toEqual(DEFAULT_PREFERENCES);
    expect(loadPreferences(memory({ [PREFERENCES_KEY]: '{not json' }))).toEqual(DEFAULT_PREFERENCES);
    expect(sanitizePreferences({ backend: 'cuda', preset: 'huge', w0: -1, sigma: 0, tta: 'yes' })).toEqual(DEFAULT_PREFERENCES);
    expect(sanitizePreferences({ backend: 'gpu', sigma: 2.5 })).toEqual({ ...DEFAULT_PREFERENCES, backend: 'gpu', sigma: 2.5 });
  });

  it('keeps the paper defaults', () => {
    expect(DEFAULT_PREFERENCES).toMatchObject({ backend: 'auto', w0: 10, sigma: 5 });
  });
});
