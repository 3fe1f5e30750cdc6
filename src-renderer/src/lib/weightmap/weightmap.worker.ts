import { INFERNO } from '../viewer/colormap';
import { elasticPreview } from './augment-preview';
import { IncrementalWeightMap } from './incremental-weights';
import { BorderRange, renderWeightView, weightRange } from './weight-view';
import { transferablesOf, type WorkerRequest, type WorkerResponse } from './worker-protocol';

// Runs the paper's weight map and the augmentation preview off the UI thread.
// (typed by hand: the renderer's tsconfig has the DOM library, not the worker one).
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerResponse, transfer: Transferable[]): void;
};

// The open annotation's maps and border term, updated edit by edit, with the border's extrema per block:
// an edit costs the region it reaches, and drawing costs the heat view's pixels.
const incremental = new IncrementalWeightMap();
const borderRange = new BorderRange();

function handle(request: WorkerRequest): WorkerResponse {
  const t0 = performance.now();
  if (request.type === 'weights') {
    const { width, height, region, classCrop, instanceCrop, w0, sigma, view } = request;
    const changed = incremental.apply({ width, height, region, classCrop, instanceCrop, w0, sigma });
    const state = incremental.state;
    borderRange.update(state.classMap, state.border, width, height, changed);
    const classWeights = incremental.classWeights();
    const { min, max } = weightRange(classWeights, state.counts, borderRange.extrema());
    const rgba = renderWeightView(state, classWeights, view, min, max, INFERNO);
    return { type: 'weights', id: request.id, width, height, view, rgba, min, max, computeMs: performance.now() - t0 };
  }
  if (request.type === 'probe') return { type: 'probe', id: request.id, x: request.x, y: request.y, w: incremental.weightAt(request.x, request.y) };
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
