import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluationsCsv } from '../../../src-main/store/evaluation-csv';
import type { Workspace } from '../../../src-main/store/workspace';
import { fakeImage, tempWorkspace } from './temp-workspace';

describe('ResultsRepository', () => {
  let t: ReturnType<typeof tempWorkspace>;
  let ws: Workspace;
  let ids: number[];
  let runA: number;
  let runB: number;
  beforeEach(() => {
    t = tempWorkspace();
    ws = t.ws;
    const datasetId = ws.datasets.create({ name: 'd' }).id;
    ids = ['c.png', 'a.png', 'b.png'].map((n) => ws.images.insert(fakeImage(datasetId, n)).id);
    ws.images.setSplit([ids[0], ids[1]], 'test');
    ws.images.setSplit([ids[2]], 'validation');
    const base = { datasetId, config: {}, seed: 1, backend: 'cpu', device: 'cpu', appVersion: '0', tfjsVersion: '4' };
    const images = [
      { imageId: ids[0], split: 'test' as const, annotationVersionId: null },
      { imageId: ids[1], split: 'test' as const, annotationVersionId: null },
      { imageId: ids[2], split: 'validation' as const, annotationVersionId: null },
    ];
    runA = ws.runs.create({ ...base, name: 'A', images }).id;
    runB = ws.runs.create({ ...base, name: 'B', images }).id;
  });
  afterEach(() => t.dispose());

  it('stores predictions per input, replacing a repeated one', () => {
    ws.results.addPrediction(runA, { imageId: ids[0], inputPath: '/data/c.png', labelsPath: '/out/c-labels.tif' });
    ws.results.addPrediction(runA, { inputPath: '/elsewhere/big.tif', probabilitiesPath: '/out/big-prob.tif' });
    const again = ws.results.addPrediction(runA, { imageId: ids[0], inputPath: '/data/c.png', labelsPath: '/out/c-labels-2.tif', instancesPath: '/out/c-inst.tif' });
    expect(again).toMatchObject({ imageName: 'c.png', labelsPath: '/out/c-labels-2.tif', instancesPath: '/out/c-inst.tif' });
    const list = ws.results.predictions(runA);
    expect(list).toHaveLength(2);
    expect(list.find((p) => p.imageId === null)).toMatchObject({ inputPath: '/elsewhere/big.tif', imageName: null });
  });

  it('tabulates per-image metrics with means that skip undefined values', () => {
    ws.results.addEvaluations(runA, ids[0], { iou: 0.8, seg: 0.6 });
    ws.results.addEvaluations(runA, ids[1], { iou: 0.6, seg: Number.NaN });
    ws.results.addEvaluation(runA, ids[2], 'iou', 0.1);
    ws.results.addEvaluation(runA, ids[2], 'iou', 0.3);
    const table = ws.results.evaluations(runA);
    expect(table.metrics).toEqual(['iou', 'seg']);
    expect(table.rows.map((r) => r.imageName)).toEqual(['a.png', 'b.png', 'c.png']);
    expect(table.rows[0]).toMatchObject({ split: 'test', values: { iou: 0.6, seg: null } });
    expect(table.mean.iou).toBeCloseTo((0.8 + 0.6 + 0.3) / 3, 12);
    expect(table.mean.seg).toBeCloseTo(0.6, 12);
    expect(table.count).toEqual({ iou: 3, seg: 1 });
    const testOnly = ws.results.evaluations(runA, { split: 'test', metrics: ['iou'] });
    expect(testOnly.metrics).toEqual(['iou']);
    expect(testOnly.mean.iou).toBeCloseTo(0.7, 12);
    expect(() => ws.results.addEvaluation(runA, ids[0], 'no spaces allowed', 1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => ws.results.addEvaluation(999, ids[0], 'iou', 1)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('stores the Otsu baseline beside a run\'s scores and averages it over the same images', () => {
    ws.results.addEvaluations(runA, ids[0], { iou: 0.8, seg: 0.6 });
    ws.results.addEvaluations(runA, ids[2], { iou: 0.5, seg: 0.4 });
    const settings = { sigma: 1, polarity: 'dark', rule: 'training annotations' };
    ws.results.addBaselineEvaluations(runA, ids[0], 'otsu', { iou: 0.7, seg: 0.5 }, settings);
    ws.results.addBaselineEvaluations(runA, ids[2], 'otsu', { iou: 0.6, seg: Number.NaN }, settings);
    // Scored again (a re-segmentation): replaced, not added.
    ws.results.addBaselineEvaluations(runA, ids[2], 'otsu', { iou: 0.65, seg: null }, settings);
    const table = ws.results.evaluations(runA);
    expect(table.metrics).toEqual(['iou', 'seg']);
    expect(table.rows.find((r) => r.imageId === ids[0])?.baseline).toEqual({ iou: 0.7, seg: 0.5 });
    expect(table.baseline).toEqual({ method: 'otsu', settings, mean: { iou: (0.7 + 0.65) / 2, seg: 0.5 }, count: { iou: 2, seg: 1 } });
    expect(ws.results.evaluations(runA, { split: 'validation' }).baseline?.mean.iou).toBeCloseTo(0.65, 12);
    expect(ws.results.evaluations(runA, { metrics: ['seg'] }).baseline?.mean).toEqual({ seg: 0.5 });
    // Another run has no baseline of its own.
    expect(ws.results.evaluations(runB).baseline).toBeUndefined();
    expect(() => ws.results.addBaselineEvaluations(runA, ids[0], 'otsu', { 'bad name': 1 }, settings)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => ws.results.addBaselineEvaluations(runA, 999, 'otsu', { iou: 1 }, settings)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => ws.results.addBaselineEvaluations(runA, ids[0], 'kmeans' as 'otsu', { iou: 1 }, settings)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('compares runs image by image and writes CSV', () => {
    ws.results.addEvaluations(runA, ids[0], { iou: 0.8 });
    ws.results.addEvaluations(runB, ids[0], { iou: 0.9, ap50: 0.5 });
    ws.results.addEvaluations(runB, ids[1], { iou: 0.7 });
    const cmp = ws.results.compare([runA, runB]);
    expect(cmp.metrics).toEqual(['ap50', 'iou']);
    expect(cmp.runs.map((r) => [r.name, r.mean.iou])).toEqual([
      ['A', 0.8],
      ['B', 0.8],
    ]);
    expect(cmp.images.map((i) => i.imageName)).toEqual(['a.png', 'c.png']);
    expect(cmp.images[1].values).toEqual({ [runA]: { iou: 0.8 }, [runB]: { iou: 0.9, ap50: 0.5 } });

    const runs = [runA, runB].map((id) => ({ id, name: id === runA ? 'A, first' : 'B', table: ws.results.evaluations(id) }));
    const { csv, rows } = evaluationsCsv(runs, ['iou', 'ap50']);
    expect(csv.split('\r\n')).toEqual([
      'run_id,run_name,image_id,image_name,split,iou,ap50',
      `${runA},"A, first",${ids[0]},c.png,test,0.8,`,
      `${runA},"A, first",,mean,,0.8,`,
      `${runB},B,${ids[1]},a.png,test,0.7,`,
      `${runB},B,${ids[0]},c.png,test,0.9,0.5`,
      `${runB},B,,mean,,0.8,0.5`,
      '',
    ]);
    expect(rows).toBe(5);
  });
});
