import { describe, expect, it } from 'vitest';
import type { UnetApi } from '../../../src-shared/contract/index';
import type { JobInfo } from '../../../src-shared/contract/jobs';
import type { EvaluationTable, RunSummary } from '../../../src-shared/contract/records';
import { ResultsSession } from '../../../src-renderer/src/lib/results/results-session.svelte';

const run = (id: number): RunSummary =>
  ({ id, datasetId: 4, datasetName: 'cells', name: `run ${id}`, status: 'succeeded', backend: 'wasm', device: 'CPU', seed: 1, createdAt: '', startedAt: null, finishedAt: null, lastStep: 10, lastLoss: 0.5, error: null }) as RunSummary;

const evaluation = (runId: number, scored: boolean): EvaluationTable => ({
  runId,
  metrics: scored ? ['iou', 'seg'] : [],
  rows: scored
    ? [
        { imageId: 1, imageName: 'a.png', split: 'validation', values: { iou: 0.5, seg: 0.4 } },
        { imageId: 2, imageName: 'b.png', split: 'validation', values: { iou: 0.7, seg: null } },
      ]
    : [],
  mean: {},
  count: {},
});

function fakeApi() {
  const listeners: ((j: JobInfo) => void)[] = [];
  let scored = false;
  const segmentCalls: { runId: number; imageIds: number[]; options: { tta: boolean } }[] = [];
  const job: JobInfo = { id: 'seg-1', kind: 'segmentation', title: '', status: 'running', progress: 0, message: '', createdAt: '' };
  const api = {
    runs: {
      list: async () => [run(2), run(1)],
      get: async ({ id }: { id: number }) => ({ ...run(id), config: { preset: 'tiny', depth: 2 }, images: [], notes: '', appVersion: '', tfjsVersion: '', versions: {}, resumedFrom: null, checkpointCount: 0, lastCheckpoint: null }),
      curves: async () => [{ step: 10, loss: 0.5, metrics: { iou: 0.6 }, elapsedMs: 0, recordedAt: '' }],
      onChanged: () => () => undefined,
    },
    results: {
      evaluations: async ({ runId }: { runId: number }) => evaluation(runId, scored),
      predictions: async () => (scored ? [{ id: 1, runId: 2, imageId: 2, imageName: 'b.png', inputPath: '', labelsPath: '/ws/p/b.tif', instancesPath: null, probabilitiesPath: null, createdAt: '' }] : []),
      exportRois: async ({ runId, format }: { runId: number; format: string }) => ({ folder: `/ws/exports/rois-run-${runId}`, format, files: [{ imageName: 'b.png', path: '/ws/exports/b', objects: 4 }], objects: 4, skipped: [] }),
      compare: async ({ runIds }: { runIds: number[] }) => ({ metrics: ['iou'], runs: runIds.map((id) => ({ runId: id, name: '', status: 'succeeded', mean: { iou: 0.5 }, count: { iou: 1 } })), images: [] }),
    },
    images: { list: async () => ({ total: 2, offset: 0, limit: 1000, items: [{ id: 1, split: 'validation' }, { id: 2, split: 'validation' }] }) },
    segmentation: { start: async (input: (typeof segmentCalls)[number]) => (segmentCalls.push(input), { job }) },
    jobs: { get: async () => job, onUpdate: (cb: (j: JobInfo) => void) => (listeners.push(cb), () => undefined) },
  } as unknown as UnetApi;
  return {
    api,
    segmentCalls,
    finish: () => {
      scored = true;
      listeners.forEach((cb) => cb({ ...job, status: 'succeeded', progress: 100 }));
    },
  };
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
};

describe('ResultsSession', () => {
  it('selects the newest run with its best validation IoU and config summary', async () => {
    const session = new ResultsSession(fakeApi().api);
    await session.load();
    expect(session.selectedId).toBe(2);
    expect(session.extras.get(1)).toMatchObject({ config: 'tiny · depth 2', best: { value: 0.6, step: 10 } });
    expect(session.meanIou).toBeUndefined();
  });

  it('segments a split and shows the new scores and overlay when the job ends', async () => {
    const fake = fakeApi();
    const session = new ResultsSession(fake.api);
    session.attach();
    await session.load();
    await session.segment({ kind: 'split', split: 'validation' }, true);
    expect(fake.segmentCalls[0]).toMatchObject({ runId: 2, imageIds: [1, 2], options: { tta: true } });
    expect(session.segmenting).toBe(true);
    fake.finish();
    await settle();
    expect(session.segmenting).toBe(false);
    expect(session.meanIou).toEqual({ metric: 'iou', value: 0.6, count: 2 });
    expect(session.table?.mean.seg).toBeCloseTo(0.4);
    expect(session.overlayImageId).toBe(2);
  });

  it('compares two or more ticked runs', async () => {
    const session = new ResultsSession(fakeApi().api);
    await session.load();
    session.toggleCompare(1);
    await settle();
    expect(session.comparison).toBeUndefined();
    session.toggleCompare(2);
    await settle();
    expect(session.comparison?.runs.map((r) => r.runId)).toEqual([1, 2]);
    expect(session.compareCurves.map((c) => c.label)).toEqual(['#1 run 1', '#2 run 2']);
  });

  it('exports the selected run\'s objects as ROI sets and forgets the export when another run is selected', async () => {
    const session = new ResultsSession(fakeApi().api);
    await session.load();
    await session.exportRois('geojson');
    expect(session.exportedRois).toMatchObject({ folder: '/ws/exports/rois-run-2', format: 'geojson', objects: 4 });
    await session.select(1);
    expect(session.exportedRois).toBeUndefined();
  });
});
