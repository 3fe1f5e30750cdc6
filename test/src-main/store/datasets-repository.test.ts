import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Workspace } from '../../../src-main/store/workspace';
import { fakeImage, tempWorkspace } from './temp-workspace';

describe('DatasetsRepository', () => {
  let t: ReturnType<typeof tempWorkspace>;
  let ws: Workspace;
  beforeEach(() => {
    t = tempWorkspace();
    ws = t.ws;
  });
  afterEach(() => t.dispose());

  it('creates a data set with the default palette and counts its images', () => {
    const d = ws.datasets.create({ name: '  HeLa  ', description: 'DIC' });
    expect(d.name).toBe('HeLa');
    expect(d.classes.map((c) => [c.value, c.name])).toEqual([
      [1, 'background'],
      [2, 'cell'],
    ]);
    const a = ws.images.insert(fakeImage(d.id, 'a.png'));
    ws.images.insert(fakeImage(d.id, 'b.png'));
    ws.images.setSplit([a.id], 'validation');
    ws.annotations.save(a.id, { classMap: new Uint8Array(48).fill(1), instanceMap: new Uint32Array(48) });
    const [summary] = ws.datasets.list();
    expect(summary).toMatchObject({ imageCount: 2, annotatedCount: 1, splitCounts: { train: 0, validation: 1, test: 0, none: 1 } });
  });

  it('keeps names unique regardless of case', () => {
    ws.datasets.create({ name: 'Cells' });
    expect(() => ws.datasets.create({ name: 'cells' })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    const other = ws.datasets.create({ name: 'Nuclei' });
    expect(() => ws.datasets.update(other.id, { name: 'CELLS' })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(ws.datasets.update(other.id, { name: 'Nuclei 2' }).name).toBe('Nuclei 2');
    expect(() => ws.datasets.create({ name: '   ' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('validates and replaces the palette', () => {
    const d = ws.datasets.create({ name: 'd' });
    const classes = ws.datasets.setClasses(d.id, [
      { value: 3, name: 'nucleus', color: '#00FF00' },
      { value: 1, name: 'bg', color: '#000000' },
    ]);
    expect(classes).toEqual([
      { value: 1, name: 'bg', color: '#000000' },
      { value: 3, name: 'nucleus', color: '#00ff00' },
    ]);
    expect(() => ws.datasets.setClasses(d.id, [{ value: 2, name: 'cell', color: '#ff0000' }])).toThrow(/background/);
    expect(() => ws.datasets.setClasses(d.id, [{ value: 1, name: 'bg', color: 'red' }])).toThrow(/#rrggbb/);
    expect(() =>
      ws.datasets.setClasses(d.id, [
        { value: 1, name: 'bg', color: '#000000' },
        { value: 1, name: 'again', color: '#000000' },
      ]),
    ).toThrow(/twice/);
    expect(ws.datasets.classes(d.id)).toHaveLength(2);
  });

  it('reports missing data sets as NOT_FOUND', () => {
    expect(() => ws.datasets.get(99)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => ws.datasets.delete(99)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
