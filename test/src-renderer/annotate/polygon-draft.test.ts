import { describe, expect, it } from 'vitest';
import { PolygonDraft } from '../../../src-renderer/src/lib/annotate/polygon-draft';

const identity = (p: { x: number; y: number }) => p;

describe('polygon draft', () => {
  it('adds clicked vertices and closes on a click near the first one', () => {
    const d = new PolygonDraft();
    expect(d.press({ x: 10, y: 10 }, { x: 10, y: 10 }, identity)).toBeNull();
    d.release();
    d.press({ x: 50, y: 10 }, { x: 50, y: 10 }, identity);
    d.release();
    d.press({ x: 50, y: 50 }, { x: 50, y: 50 }, identity);
    d.release();
    expect(d.press({ x: 12, y: 13 }, { x: 12, y: 13 }, identity)).toEqual([
      { x: 10, y: 10 },
      { x: 50, y: 10 },
      { x: 50, y: 50 },
    ]);
    expect(d.active).toBe(false);
  });

  it('turns a drag into a lasso that closes on release', () => {
    const d = new PolygonDraft();
    d.press({ x: 0, y: 0 }, { x: 0, y: 0 }, identity);
    d.drag({ x: 2, y: 0 }, { x: 2, y: 0 });
    expect(d.lasso).toBe(false);
    d.drag({ x: 10, y: 0 }, { x: 10, y: 0 });
    d.drag({ x: 10, y: 10 }, { x: 10, y: 10 });
    expect(d.lasso).toBe(true);
    expect(d.release()).toEqual([
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 10, y: 10 },
    ]);
  });

  it('does not close with fewer than 3 vertices', () => {
    const d = new PolygonDraft();
    d.press({ x: 0, y: 0 }, { x: 0, y: 0 }, identity);
    expect(d.close()).toBeNull();
  });
});
