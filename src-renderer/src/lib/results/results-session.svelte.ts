import type { UnetApi } from '../../../../src-shared/contract/index';
import { isFinished, type JobInfo, type JobOf } from '../../../../src-shared/contract/jobs';
import type { CurvePoint, EvaluationTable, ImageRecord, PredictionRecord, RunComparison, RunDetail, RunSummary } from '../../../../src-shared/contract/records';
import type { CsvExport, RoiExportFormat, RoiSetExport } from '../../../../src-shared/contract/results';
import { buildMetricsTable, type SplitFilter, type TableSort } from './metrics-table';
import { mainIouMetric } from './metric-names';
import type { RunCurve } from './run-comparison';
import { fetchRunExtras, type RunExtras } from './run-extras';
import { resolveTargetImages, type SegmentTarget } from './segment-target';
import { GuardedSession } from '../state/guarded-session.svelte';

/** The Results view's state and actions, without the view; lives as long as the app. */
export class ResultsSession extends GuardedSession {
  runs = $state<RunSummary[]>([]);
  extras = $state.raw<Map<number, RunExtras>>(new Map());
  selectedId = $state<number | undefined>();
  detail = $state<RunDetail | undefined>();
  points = $state.raw<CurvePoint[]>([]);
  evaluations = $state.raw<EvaluationTable | undefined>();
  predictions = $state.raw<PredictionRecord[]>([]);
  /** Images of the selected run's data set (first 1000), for segmenting one image. */
  images = $state.raw<ImageRecord[]>([]);
  split = $state<SplitFilter>('all');
  sort = $state<TableSort>({ key: 'name', descending: false });
  compareIds = $state<number[]>([]);
  comparison = $state.raw<RunComparison | undefined>();
  compareCurves = $state.raw<RunCurve[]>([]);
  segmentJob = $state<JobOf<'segmentation'> | undefined>();
  overlayImageId = $state<number | undefined>();
  exported = $state<CsvExport | undefined>();
  exportedRois = $state.raw<RoiSetExport | undefined>();

  readonly table = $derived(this.evaluations ? buildMetricsTable(this.evaluations, this.split, this.sort) : undefined);
  readonly meanIou = $derived.by(() => {
    const metric = this.table && mainIouMetric(this.table.metrics);
    return metric ? { metric, value: this.table!.mean[metric], count: this.table!.count[metric] } : undefined;
  });
  readonly segmenting = $derived(!!this.segmentJob && !isFinished(this.segmentJob.status));

  constructor(private readonly api: UnetApi) {
    super();
  }

  attach(): () => void {
    const offJobs = this.api.jobs.onUpdate((job) => this.onJob(job));
    const offRuns = this.api.runs.onChanged((change) => {
      void this.guard(async () => {
        await this.refreshList();
        if (change.id === this.selectedId && change.reason === 'updated') await this.select(change.id);
      });
    });
    return () => {
      offJobs();
      offRuns();
    };
  }

  async load(preferredRunId?: number): Promise<void> {
    await this.guard(async () => {
      await this.refreshList();
      const id = this.runs.find((r) => r.id === (preferredRunId ?? this.selectedId))?.id ?? this.runs[0]?.id;
      if (id !== undefined) await this.select(id);
    });
  }

  private listing: Promise<void> | undefined;
  private listAgain = false;

  /** Reloads the run list; calls during a reload are folded into one more reload after it. */
  async refreshList(): Promise<void> {
    if (this.listing) {
      this.listAgain = true;
      return this.listing;
    }
    this.listing = (async () => {
      try {
        do {
          this.listAgain = false;
          const runs = await this.api.runs.list({});
          this.runs = runs;
          // Runs deleted (or of another workspace) leave the comparison.
          const kept = this.compareIds.filter((id) => runs.some((r) => r.id === id));
          if (kept.length !== this.compareIds.length) {
            this.compareIds = kept;
            void this.loadComparison();
          }
          this.extras = await fetchRunExtras(this.api, runs);
        } while (this.listAgain);
      } finally {
        this.listing = undefined;
      }
    })();
    return this.listing;
  }

  async select(runId: number): Promise<void> {
    if (runId !== this.selectedId) {
      this.exported = undefined;
      this.exportedRois = undefined;
    }
    this.selectedId = runId;
    await this.guard(async () => {
      const [detail, points] = await Promise.all([this.api.runs.get({ id: runId }), this.api.runs.curves({ id: runId, maxPoints: 3000 })]);
      if (this.selectedId !== runId) return;
      this.detail = detail;
      this.points = points;
      this.images = (await this.api.images.list({ datasetId: detail.datasetId, limit: 1000 })).items;
      await this.loadResults(runId);
    });
  }

  private async loadResults(runId: number): Promise<void> {
    const [evaluations, predictions] = await Promise.all([this.api.results.evaluations({ runId }), this.api.results.predictions({ runId })]);
    if (this.selectedId !== runId) return;
    this.evaluations = evaluations;
    this.predictions = predictions;
    const shown = predictions.some((p) => p.imageId === this.overlayImageId);
    if (!shown) this.overlayImageId = predictions.find((p) => p.imageId !== null)?.imageId ?? undefined;
  }

  async segment(target: SegmentTarget, tta: boolean): Promise<void> {
    const detail = this.detail;
    if (!detail) return;
    this.error = undefined;
    await this.guard(async () => {
      const imageIds = await resolveTargetImages(this.api, detail.datasetId, target);
      if (imageIds.length === 0) throw new Error(`No images in ${target.kind === 'split' ? `the ${target.split} split` : 'the selection'}.`);
      const { job } = await this.api.segmentation.start({ runId: detail.id, imageIds, options: { tta, instances: true, evaluate: true } });
      this.segmentJob = job;
      this.onJob(await this.api.jobs.get({ id: job.id }));
    });
  }

  async cancelSegmentation(): Promise<void> {
    const job = this.segmentJob;
    if (job) await this.guard(async () => this.onJob(await this.api.jobs.cancel({ id: job.id })));
  }

  onJob(job: JobInfo): void {
    if (job.id !== this.segmentJob?.id || job.kind !== 'segmentation') return;
    const wasRunning = !isFinished(this.segmentJob.status);
    this.segmentJob = job;
    if (job.status === 'failed' && job.error) this.error = `Segmentation failed: ${job.error.message}`;
    if (wasRunning && isFinished(job.status) && this.selectedId !== undefined) {
      const runId = this.selectedId;
      void this.guard(() => this.loadResults(runId));
    }
  }

  toggleCompare(runId: number): void {
    this.compareIds = this.compareIds.includes(runId) ? this.compareIds.filter((id) => id !== runId) : [...this.compareIds, runId];
    void this.loadComparison();
  }

  async loadComparison(): Promise<void> {
    const ids = [...this.compareIds];
    if (ids.length < 2) {
      this.comparison = undefined;
      this.compareCurves = [];
      return;
    }
    await this.guard(async () => {
      const [comparison, curves] = await Promise.all([
        this.api.results.compare({ runIds: ids }),
        Promise.all(ids.map(async (id) => ({ runId: id, label: this.runLabel(id), points: await this.api.runs.curves({ id, maxPoints: 1000 }) }))),
      ]);
      if (ids.join() !== this.compareIds.join()) return;
      this.comparison = comparison;
      this.compareCurves = curves;
    });
  }

  runLabel(id: number): string {
    const run = this.runs.find((r) => r.id === id);
    return run ? `#${id} ${run.name}` : `#${id}`;
  }

  async exportCsv(): Promise<void> {
    const ids = this.compareIds.length >= 2 ? [...this.compareIds] : this.selectedId !== undefined ? [this.selectedId] : [];
    if (ids.length === 0) return;
    await this.guard(async () => {
      this.exported = await this.api.results.exportCsv({ runIds: ids, split: this.split === 'all' ? undefined : this.split });
    });
  }

  /** The selected run's predicted objects as ImageJ ROI sets or QuPath GeoJSON, one file per image. */
  async exportRois(format: RoiExportFormat): Promise<void> {
    const runId = this.selectedId;
    if (runId === undefined) return;
    await this.guard(async () => {
      this.exportedRois = await this.api.results.exportRois({ runId, format });
    });
  }
}

let shared: ResultsSession | undefined;

export function resultsSession(): ResultsSession {
  if (!shared) {
    shared = new ResultsSession(window.unet);
    shared.attach();
  }
  return shared;
}
