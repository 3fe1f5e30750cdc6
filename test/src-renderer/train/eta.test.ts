import { describe, expect, it } from 'vitest';
import { formatDuration, formatEta, formatRate } from '../../../src-renderer/src/lib/train/eta';

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [42.4, '42 s'],
    [59.6, '1 min 00 s'],
    [185, '3 min 05 s'],
    [3600, '1 h 00 min'],
    [3725, '1 h 02 min'],
    [49 * 3600, '2 d 1 h'],
  ])('%s s -> %s', (s, text) => expect(formatDuration(s)).toBe(text));

  it('shows unknown durations as a dash', () => {
    for (const v of [NaN, Infinity, -1, null, undefined]) expect(formatDuration(v)).toBe('—');
  });
});

describe('formatEta', () => {
  it('waits for a couple of steps before estimating', () => {
    expect(formatEta(1000, 0)).toBe('estimating…');
    expect(formatEta(1000, 1)).toBe('estimating…');
    expect(formatEta(130, 5)).toBe('2 min 10 s');
  });
});

describe('formatRate', () => {
  it('switches to seconds per tile when slow', () => {
    expect(formatRate(25.3)).toBe('25 tiles/s');
    expect(formatRate(3.21)).toBe('3.2 tiles/s');
    expect(formatRate(0.25)).toBe('4.0 s/tile');
    expect(formatRate(0)).toBe('—');
  });
});
