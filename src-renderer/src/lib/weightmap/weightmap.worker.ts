import { INFERNO, renderHeatmap } from '../viewer/colormap';
import { elasticPreview } from './augment-preview';
import { IncrementalWeightMap } from './incremental-weights';
import { transferablesOf, type WorkerRequest, type WorkerResponse } from './worker-protocol';

// Runs the paper's weight map and the augmentation preview off the UI thread.
// (typed by hand: the renderer's tsconfig has the DOM library, not the worker one).
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerResponse, transfer: Transferable[]): void;
};

// The open annotation's maps and border term, updated edit by edit.
const incremental = new IncrementalWeightMap();

function handle(request: WorkerRequest): WorkerResponse {
  const t0 = performance.now();
  if (request.type === 'weights') {
    const { width, height, region, classCrop, instanceCrop, w0, sigma } = request;
    const { weights, min, max } = incremental.update({ width, height, region, classCrop, instanceCrop, w0, sigma });
    const rgba = new Uint8ClampedArray(width * height * 4);
    renderHeatmap(weights, min, max, INFERNO, rgba, true);
    return { type: 'weights', id: request.id, width, height, weights, rgba, min, max, computeMs: performance.now() - t0 };
  }
  const samples = elasticPreview(request, request.seed, request.count, request.sigma);
  return { type: 'augment', id: request.id, width: request.width, height: request.height, samples, computeMs: performance.now() - t0 };
}

scope.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  let response: WorkerResponse;
  try {
    response = handle(request);
  } catch (error) {
    response = { type: 'error', id: request.id, request: request.type, message: error instanceof Error ? error.message : String(error) };
  }
  scope.postMessage(response, transferablesOf(response));
};
