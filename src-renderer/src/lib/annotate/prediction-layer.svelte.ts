import type { UnetApi } from '../../../../src-shared/contract/index';
import type { RunSummary } from '../../../../src-shared/contract/records';
import type { PredictionView } from '../../../../src-shared/contract/segmentation';
import type { PredictionMode } from './prediction-render';

/** How many predictions stay in memory, so that stepping back and forth between images costs nothing. */
const CACHED = 6;

export type PredictionStatus = 'idle' | 'loading' | 'ready' | 'error';

/**
 * The prediction layer of the Annotate view: which succeeded run predicts (the newest of the image's
 * data set unless the user picked one), whether its prediction of the open image is shown and how, and
 * that prediction, asked for on demand (the service computes and stores what no run predicted yet).
 */
export class PredictionLayer {
  /** Succeeded runs, those of the open image's data set first, each newest first. */
  runs = $state.raw<RunSummary[]>([]);
  runId = $state<number | undefined>();
  shown = $state(false);
  mode = $state<PredictionMode>('classes');
  opacity = $state(0.6);
  prediction = $state.raw<PredictionView | null>(null);
  status = $state<PredictionStatus>('idle');
  error = $state<string | undefined>();
  /** Milliseconds from "accept" to the accepted annotation on screen, the last time. */
  acceptMs = $state<number | undefined>();

  private picked = false;
  private datasetId: number | undefined;
  private imageId: number | undefined;
  private seq = 0;
  private readonly cache = new Map<string, PredictionView>();

  constructor(private readonly api: () => UnetApi) {}

  /** Reloads the runs on offer (a data set opened, a run finished or was deleted). */
  async refreshRuns(datasetId: number | undefined): Promise<void> {
    if (datasetId !== this.datasetId) this.picked = false;
    this.datasetId = datasetId;
    try {
      const succeeded = await this.api().runs.list({ status: 'succeeded', offset: 0, limit: 200 });
      const own = succeeded.filter((r) => r.datasetId === datasetId);
      this.runs = [...own, ...succeeded.filter((r) => r.datasetId !== datasetId)];
      if (!this.picked || !this.runs.some((r) => r.id === this.runId)) this.runId = own[0]?.id ?? this.runs[0]?.id;
    } catch (error) {
      this.error = message(error);
    }
  }

  pick(runId: number): void {
    this.picked = true;
    this.runId = runId;
  }

  /** The prediction of the open image by the chosen run, while the layer is shown. */
  async load(imageId: number | undefined): Promise<void> {
    this.imageId = imageId;
    const seq = ++this.seq;
    const runId = this.runId;
    if (!this.shown || imageId === undefined || runId === undefined) {
      this.prediction = null;
      this.status = 'idle';
      return;
    }
    const key = `${runId}:${imageId}`;
    const cached = this.cache.get(key);
    if (cached) {
      this.prediction = cached;
      this.status = 'ready';
      return;
    }
    this.status = 'loading';
    this.error = undefined;
    try {
      const prediction = await this.api().segmentation.predict({ runId, imageId });
      this.remember(key, prediction);
      if (seq !== this.seq) return;
      this.prediction = prediction;
      this.status = 'ready';
    } catch (error) {
      if (seq !== this.seq) return;
      this.prediction = null;
      this.status = 'error';
      this.error = message(error);
    }
  }

  /** Forgets what the runs predicted (a run was retrained or deleted); the open image's is asked again. */
  async invalidate(): Promise<void> {
    this.cache.clear();
    await this.load(this.imageId);
  }

  private remember(key: string, prediction: PredictionView): void {
    this.cache.delete(key);
    this.cache.set(key, prediction);
    while (this.cache.size > CACHED) this.cache.delete(this.cache.keys().next().value as string);
  }
}

/** "run #3 (name)", as the Train view and the run records name runs. */
export function runLabel(run: Pick<RunSummary, 'id' | 'name'>): string {
  return `run #${run.id} (${run.name})`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
