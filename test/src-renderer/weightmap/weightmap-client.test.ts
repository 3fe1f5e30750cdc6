import { describe, expect, it } from 'vitest';
import { formatTick, INFERNO, renderHeatmap } from '../../../src-renderer/src/lib/viewer/colormap';
import { elasticPreview } from '../../../src-renderer/src/lib/weightmap/augment-preview';
import { WeightMapClient, type WorkerLike } from '../../../src-renderer/src/lib/weightmap/weightmap-client';
import type { WorkerRequest, WorkerResponse } from '../../../src-renderer/src/lib/weightmap/worker-protocol';

class FakeWorker implements WorkerLike {
  posted: WorkerRequest[] = [];
  onmessage: ((event: MessageEvent<WorkerResponse>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  terminated = false;
  postMessage(message: WorkerRequest): void {
    this.posted.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(response: WorkerResponse): void {
    this.onmessage?.({ data: response } as MessageEvent<WorkerResponse>);
  }
}

function weightsReply(id: number): WorkerResponse {
  return { type: 'weights', id, width: 1, height: 1, view: wholeView, rgba: new Uint8ClampedArray(4), min: 0, max: 1, computeMs: 1 };
}

const wholeView = { region: { x: 0, y: 0, width: 1, height: 1 }, outWidth: 1, outHeight: 1 };
const input = () => ({ width: 1, height: 1, region: { x: 0, y: 0, width: 1, height: 1 }, classCrop: new Uint8Array(1), instanceCrop: new Uint32Array(1), w0: 10, sigma: 5, view: wholeView });

describe('weight-map client', () => {
  it('runs one computation at a time and keeps only the latest waiting request', () => {
    const worker = new FakeWorker();
    let clock = 0;
    const results: number[] = [];
    const client = new WeightMapClient(worker, { onWeights: (r) => results.push(r.latencyMs), onAugment: () => {}, onError: () => {} }, () => clock);
    client.weights(() => input());
    clock = 5;
    client.weights(() => ({ ...input(), w0: 1 }));
    clock = 6;
    let built = 0;
    client.weights(() => (built++, { ...input(), w0: 2 }));
    // Built only when sent, so it can include every change made meanwhile.
    expect(built).toBe(0);
    expect(worker.posted.length).toBe(1);
    expect(client.pending('weights')).toBe(true);
    clock = 20;
    worker.reply(weightsReply(worker.posted[0].id));
    // The newest waiting request (w0 = 2) goes next; the one with w0 = 1 was superseded.
    expect(worker.posted.length).toBe(2);
    expect((worker.posted[1] as { w0: number }).w0).toBe(2);
    expect(built).toBe(1);
    clock = 50;
    worker.reply(weightsReply(worker.posted[1].id));
    expect(results).toEqual([20, 44]);
    expect(client.pending('weights')).toBe(false);
  });

  it('ignores stale replies and reports worker errors', () => {
    const worker = new FakeWorker();
    const errors: string[] = [];
    const client = new WeightMapClient(worker, { onWeights: () => errors.push('unexpected'), onAugment: () => {}, onError: (_k, m) => errors.push(m) });
    client.weights(() => input());
    worker.reply(weightsReply(999));
    worker.reply({ type: 'error', id: worker.posted[0].id, request: 'weights', message: 'sigma must be > 0' });
    expect(errors).toEqual(['sigma must be > 0']);
    client.dispose();
    expect(worker.terminated).toBe(true);
  });

  it('answers probes of w(x) at a pixel, latest first', () => {
    const worker = new FakeWorker();
    const probed: [number, number, number | null][] = [];
    const client = new WeightMapClient(worker, { onWeights: () => {}, onAugment: () => {}, onProbe: (r) => probed.push([r.x, r.y, r.w]), onError: () => {} });
    client.probe(1, 2);
    client.probe(3, 4);
    client.probe(5, 6);
    expect(worker.posted.map((m) => m.type)).toEqual(['probe']);
    worker.reply({ type: 'probe', id: worker.posted[0].id, x: 1, y: 2, w: 1.5 });
    expect((worker.posted[1] as { x: number }).x).toBe(5);
    worker.reply({ type: 'probe', id: worker.posted[1].id, x: 5, y: 6, w: null });
    expect(probed).toEqual([
      [1, 2, 1.5],
      [5, 6, null],
    ]);
  });
});

describe('heat map', () => {
  it('maps min to the dark end, max to the bright end, and leaves w = 0 transparent', () => {
    const values = new Float32Array([0, 1, 5.5, 10]);
    const [min, max] = [1, 10];
    const out = new Uint8ClampedArray(16);
    renderHeatmap(values, min, max, INFERNO, out, true);
    expect(out[3]).toBe(0);
    expect([...out.subarray(4, 7)]).toEqual([...INFERNO.subarray(0, 3)]);
    expect([...out.subarray(12, 15)]).toEqual([...INFERNO.subarray(765, 768)]);
    // Brightness grows along the map.
    const lum = (k: number) => INFERNO[k * 3] + INFERNO[k * 3 + 1] + INFERNO[k * 3 + 2];
    for (let k = 16; k < 256; k += 16) expect(lum(k)).toBeGreaterThan(lum(k - 16));
  });
});

describe('augmentation preview', () => {
  it('is reproducible from its seed and keeps label values', () => {
    const width = 32;
    const height = 32;
    const gray = new Float32Array(width * height);
    const classMap = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
      gray[y * width + x] = x * 8;
      classMap[y * width + x] = x < 16 ? 1 : 2;
    }
    const colors = new Uint8Array(256 * 4);
    colors.set([0, 0, 255, 255], 4);
    colors.set([255, 0, 0, 255], 8);
    const a = elasticPreview({ width, height, gray, classMap, colors }, 7, 2, 10);
    const b = elasticPreview({ width, height, gray, classMap, colors }, 7, 2, 10);
    const c = elasticPreview({ width, height, gray, classMap, colors }, 8, 2, 10);
    expect(a.length).toBe(2);
    expect(a[0].image).toEqual(b[0].image);
    expect(a[1].labels).toEqual(b[1].labels);
    expect(a[0].image).not.toEqual(c[0].image);
    expect(a[0].image).not.toEqual(a[1].image);
    for (let o = 0; o < a[0].labels.length; o += 4) {
      const rgb = [a[0].labels[o], a[0].labels[o + 1], a[0].labels[o + 2]].join();
      expect(['0,0,255', '255,0,0']).toContain(rgb);
    }
  });
});

describe('legend ticks', () => {
  it('use enough decimals to tell ticks of a narrow range apart', () => {
    const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => formatTick(0.87 + t * 0.32, 0.32));
    expect(new Set(ticks).size).toBe(5);
    expect(formatTick(19.01, 18.5)).toBe('19.0');
    expect(formatTick(123.4, 200)).toBe('123');
  });
});
