import { transferablesOf, type AugmentRequest, type AugmentResult, type ProbeResult, type WeightsRequest, type WeightsResult, type WorkerRequest, type WorkerResponse } from './worker-protocol';

/** What the client needs of a Worker (a fake in tests). */
export interface WorkerLike {
  postMessage(message: WorkerRequest, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<WorkerResponse>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

export type WeightsInput = Omit<WeightsRequest, 'type' | 'id'>;
export type AugmentInput = Omit<AugmentRequest, 'type' | 'id'>;

export interface WeightsOutcome extends WeightsResult {
  /** From the request (e.g. the end of a stroke) to the result's arrival, ms. */
  latencyMs: number;
}

export interface WeightMapClientHandlers {
  onWeights(result: WeightsOutcome): void;
  onAugment(result: AugmentResult): void;
  onProbe?(result: ProbeResult): void;
  onError(request: WorkerRequest['type'], message: string): void;
}

type Kind = WorkerRequest['type'];

/**
 * Talks to the weight-map worker with "latest wins" per request kind: at most one computation of each
 * kind runs; a request made meanwhile replaces any still waiting, so a burst of strokes costs one extra
 * computation, not one per stroke, and the last state is always the one shown in the end.
 */
export class WeightMapClient {
  private nextId = 1;
  private readonly busy = new Map<Kind, { id: number; requestedAt: number }>();
  private readonly waiting = new Map<Kind, { build: () => WorkerRequest; requestedAt: number }>();
  private disposed = false;

  constructor(
    private readonly worker: WorkerLike,
    private readonly handlers: WeightMapClientHandlers,
    private readonly now: () => number = () => performance.now(),
  ) {
    worker.onmessage = (event) => this.receive(event.data);
    worker.onerror = (event) => {
      const message = event.message || 'the weight-map worker failed';
      for (const kind of [...this.busy.keys()]) handlers.onError(kind, message);
      this.busy.clear();
    };
  }

  /**
   * Asks for w(x). `build` runs when the request is actually sent (not when a newer one replaces it
   * while waiting), so it can gather every change made until then; its arrays are transferred.
   */
  weights(build: () => WeightsInput): void {
    this.enqueue('weights', () => ({ type: 'weights', id: this.nextId++, ...build() }));
  }

  augment(input: AugmentInput): void {
    this.enqueue('augment', () => ({ type: 'augment', id: this.nextId++, ...input }));
  }

  /** Asks for w(x) at one pixel (after any weights request sent before it). */
  probe(x: number, y: number): void {
    this.enqueue('probe', () => ({ type: 'probe', id: this.nextId++, x, y }));
  }

  /** True while a request of this kind is computing or waiting. */
  pending(kind: Kind): boolean {
    return this.busy.has(kind) || this.waiting.has(kind);
  }

  dispose(): void {
    this.disposed = true;
    this.waiting.clear();
    this.busy.clear();
    this.worker.terminate();
  }

  private enqueue(kind: Kind, build: () => WorkerRequest): void {
    if (this.disposed) return;
    const requestedAt = this.now();
    if (this.busy.has(kind)) this.waiting.set(kind, { build, requestedAt });
    else this.post(build(), requestedAt);
  }

  private post(request: WorkerRequest, requestedAt: number): void {
    this.busy.set(request.type, { id: request.id, requestedAt });
    this.worker.postMessage(request, transferablesOf(request));
  }

  private receive(response: WorkerResponse): void {
    if (this.disposed) return;
    const kind: Kind = response.type === 'error' ? response.request : response.type;
    const current = this.busy.get(kind);
    if (!current || current.id !== response.id) return;
    this.busy.delete(kind);
    const next = this.waiting.get(kind);
    if (next) {
      this.waiting.delete(kind);
      this.post(next.build(), next.requestedAt);
    }
    if (response.type === 'error') this.handlers.onError(response.request, response.message);
    else if (response.type === 'weights') this.handlers.onWeights({ ...response, latencyMs: this.now() - current.requestedAt });
    else if (response.type === 'probe') this.handlers.onProbe?.(response);
    else this.handlers.onAugment(response);
  }
}

/** The real worker, bundled by Vite as a module worker. */
export function createWeightMapWorker(): WorkerLike {
  return new Worker(new URL('./weightmap.worker.ts', import.meta.url), { type: 'module' }) as unknown as WorkerLike;
}
