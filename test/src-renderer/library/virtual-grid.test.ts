import { describe, expect, it } from 'vitest';
import { gridLayout, scrollToItem, visibleRange } from '../../../src-renderer/src/lib/library/virtual-grid';

describe('virtual grid', () => {
  it('fits as many columns as the width allows and widens tiles to fill it', () => {
    const l = gridLayout(1000, 150, 10, 40);
    expect(l.columns).toBe(6);
    expect(l.tileSize).toBe(158);
    expect(l.rowHeight).toBe(158 + 40 + 10);
    expect(gridLayout(50, 150, 10, 40).columns).toBe(1);
  });

  it('renders only the visible rows plus overscan', () => {
    const l = { columns: 5, tileSize: 100, rowHeight: 150, gap: 10 };
    const r = visibleRange(10_000, l, 3000, 600, 1);
    // Rows 20..23 are visible; one row of overscan each side.
    expect(r).toEqual({ start: 19 * 5, end: 25 * 5, offsetY: 19 * 150, totalHeight: 2000 * 150 });
  });

  it('clamps at the top and at the end of the data', () => {
    const l = { columns: 4, tileSize: 100, rowHeight: 100, gap: 0 };
    expect(visibleRange(10, l, -50, 250, 2)).toEqual({ start: 0, end: 10, offsetY: 0, totalHeight: 300 });
    const end = visibleRange(1003, l, 1e9, 400, 0);
    expect(end.end).toBe(1003);
    expect(end.start).toBe(247 * 4);
    expect(visibleRange(0, l, 0, 400)).toEqual({ start: 0, end: 0, offsetY: 0, totalHeight: 0 });
  });

  it('keeps the DOM small for a huge data set', () => {
    const l = gridLayout(1200, 160, 8, 36);
    const r = visibleRange(100_000, l, 5_000_000, 900, 2);
    expect(r.end - r.start).toBeLessThanOrEqual(l.columns * 10);
    expect(r.offsetY).toBeLessThanOrEqual(5_000_000);
  });

  it('scrolls an item into view only when needed', () => {
    const l = { columns: 4, tileSize: 90, rowHeight: 100, gap: 10 };
    expect(scrollToItem(0, l, 500, 300)).toBe(0);
    expect(scrollToItem(40, l, 0, 300)).toBe(1000 + 90 - 300);
    expect(scrollToItem(22, l, 450, 300)).toBe(450);
  });
});
