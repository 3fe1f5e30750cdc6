import type { UnetApi } from '../../../../src-shared/contract/index';
import { isFinished, type JobInfo, type JobOf } from '../../../../src-shared/contract/jobs';
import type { CurvePoint, DatasetSummary, InterruptedRun } from '../../../../src-shared/contract/records';
import type { SystemInfo } from '../../../../src-shared/contract/system';
import type { BackendChoice, PresetInfo, PresetName, StartingModelInfo, TrainingSplitPlan, TrainProgressInfo } from '../../../../src-shared/contract/training';
import { mergePoints, progressToPoint } from '../charts/curve-series';
import { fetchGpuReport, type GpuDoctorReport } from '../settings/gpu-report';
import { formFromPreset, hasErrors, toTrainOptions, validateTrainForm, type LossDefaults, type TrainForm } from './config-form';
import { summarizePlan } from './split-summary';
import { formForStart } from './starting-model';
import { GuardedSession } from '../state/guarded-session.svelte';

/** The training numbers a job carries in its `data`: only training jobs carry them, once a step is done. */
export function progressFromJob(job: JobInfo): TrainProgressInfo | undefined {
  return job.kind === 'training' ? job.data : undefined;
}

export function isTrainingJob(job: JobInfo): job is JobOf<'training'> {
  return job.kind === 'training';
}

/**
 * Everything the Train view shows and does, without the view: data set and the split a run would use, the
 * configuration form, the compute backend, and the live state of the current training job. It lives
 * as long as the app so that training keeps its charts when the user looks at another view.
 */
export class TrainSession extends GuardedSession {
  datasets = $state<DatasetSummary[]>([]);
  datasetId = $state<number | undefined>();
  /** The split `training.start` would use with the form's seed, as the services decide it. */
  plan = $state<TrainingSplitPlan | undefined>();
  presets = $state<PresetInfo[]>([]);
  form = $state<TrainForm | undefined>();
  info = $state<SystemInfo | undefined>();
  gpu = $state<GpuDoctorReport | undefined>();
  job = $state<JobOf<'training'> | undefined>();
  runId = $state<number | undefined>();
  progress = $state<TrainProgressInfo | undefined>();
  points = $state.raw<CurvePoint[]>([]);
  interrupted = $state<InterruptedRun[]>([]);
  /** What a run may start from, and the choice ('' = random weights, else `TrainOptions.init`). */
  startingModels = $state.raw<StartingModelInfo[]>([]);
  init = $state('');
  /** After a run: its predictions of the data set's unannotated images, made in the background. */
  refresh = $state<{ jobId: string; runId: number; images: number; status: JobInfo['status'] } | undefined>();

  readonly issues = $derived(this.form ? validateTrainForm(this.form) : []);
  readonly splitSummary = $derived(this.plan ? summarizePlan(this.plan) : undefined);
  readonly running = $derived(!!this.job && !isFinished(this.job.status));
  readonly preset = $derived(this.presets.find((p) => p.name === this.form?.preset));
  readonly startingModel = $derived(this.startingModels.find((m) => m.init === this.init));
  readonly canStart = $derived(
    !this.running && !this.busy && !!this.form && !hasErrors(this.issues) && !!this.splitSummary?.canTrain,
  );

  private unsubscribe: (() => void)[] = [];

  constructor(private readonly api: UnetApi) {
    super();
  }

  /** Subscribes to job and progress events; returns the unsubscribe. */
  attach(): () => void {
    this.unsubscribe.push(this.api.jobs.onUpdate((job) => this.onJob(job)));
    this.unsubscribe.push(this.api.training.onProgress((p) => this.onProgress(p)));
    return () => this.unsubscribe.splice(0).forEach((u) => u());
  }

  /** Loads data sets, presets, compute info and any training already running (after a reload). */
  async load(preferred: { datasetId?: number; preset: PresetName; loss: LossDefaults }): Promise<void> {
    this.error = undefined;
    await this.guard(async () => {
      const [datasets, info] = await Promise.all([this.api.datasets.list(), this.api.system.info()]);
      this.datasets = datasets;
      this.info = info;
      if (this.presets.length === 0) this.presets = await this.api.training.presets();
      if (!this.form && this.presets.length > 0) this.choosePreset(preferred.preset, preferred.loss);
      const wanted = this.datasetId ?? preferred.datasetId;
      const id = datasets.find((d) => d.id === wanted)?.id ?? datasets[0]?.id;
      if (id !== undefined) await this.selectDataset(id);
      await Promise.all([this.refreshInterrupted(), this.findRunningJob()]);
    });
    void this.refreshStartingModels();
    // The doctor probes files and nvidia-smi: let it answer after the rest is on screen.
    fetchGpuReport(this.api).then(
      (report) => (this.gpu = report),
      () => (this.gpu = undefined),
    );
  }

  async selectDataset(id: number): Promise<void> {
    this.datasetId = id;
    this.plan = undefined;
    if (!this.datasets.some((d) => d.id === id)) return;
    await this.refreshPlan(true);
  }

  /**
   * Asks the services for the split a run would use now (the seed decides an automatic split); only
   * when the data set or seed changed, unless forced (after the data set itself may have changed).
   */
  async refreshPlan(force = false): Promise<void> {
    const datasetId = this.datasetId;
    const seed = this.form?.seed ?? 1;
    if (datasetId === undefined || !Number.isInteger(seed) || seed < 0 || seed > 2 ** 31 - 1) return;
    if (!force && this.plan?.datasetId === datasetId && this.plan.seed === seed) return;
    await this.guard(async () => {
      const plan = await this.api.training.planSplit({ datasetId, seed });
      if (this.datasetId === datasetId && (this.form?.seed ?? 1) === seed) this.plan = plan;
    });
  }

  /** A preset sets the recipe; what the form says about the data (per-image scaling, objects that tile the image, class weights) stays. */
  choosePreset(name: PresetName, loss: LossDefaults): void {
    const preset = this.presets.find((p) => p.name === name) ?? this.presets[0];
    if (!preset) return;
    const data = this.form ? { perImage: this.form.perImage, objectsTile: this.form.objectsTile, classWeights: this.form.classWeights } : {};
    this.form = formForStart({ ...formFromPreset(preset, loss, this.form?.seed ?? 1), ...data }, this.startingModel, preset);
  }

  /** Lists the models a run may start from; reading them probes files, so it answers on its own time. */
  async refreshStartingModels(): Promise<void> {
    try {
      this.startingModels = await this.api.training.startingModels();
    } catch {
      this.startingModels = [];
    }
    if (this.init && !this.startingModel) this.chooseStart('');
  }

  /** Imports a bioimage.io package (a path on the machine the app runs on) and starts from it; a message says how it went. */
  async importModel(path: string): Promise<string | undefined> {
    this.error = undefined;
    return this.guard(async () => {
      const imported = await this.api.training.importModel({ path });
      await this.refreshStartingModels();
      this.chooseStart(imported.model.init);
      const check = `its test output reproduced to ${imported.maxAbsDifference.toExponential(1)}`;
      return imported.ok ? `Imported as ${imported.model.label} (${check}).` : `Imported as ${imported.model.label}, but ${check}: these may not be the exported weights.`;
    });
  }

  /** Starts from random weights ('') or a model; the form takes the model's architecture and tile. */
  chooseStart(init: string): void {
    this.init = init;
    if (this.form) this.form = formForStart(this.form, this.startingModel, this.preset);
  }

  async start(backend: BackendChoice): Promise<number | undefined> {
    if (!this.canStart || !this.form || this.datasetId === undefined) return undefined;
    this.error = undefined;
    return this.guard(async () => {
      const options = toTrainOptions(this.form!, backend);
      if (this.startingModel) {
        options.init = this.startingModel.init;
        // A run from a model keeps the model's classes, its border class included.
        delete options.borderClass;
      }
      const { job, runId } = await this.api.training.start({ datasetId: this.datasetId!, options });
      this.follow(job, runId, []);
      return runId;
    });
  }

  async resume(runId: number): Promise<void> {
    this.error = undefined;
    await this.guard(async () => {
      const points = await this.api.runs.curves({ id: runId, maxPoints: 2000 });
      const { job } = await this.api.training.resume({ runId });
      this.follow(job, runId, points);
      await this.refreshInterrupted();
    });
  }

  async cancel(): Promise<void> {
    if (!this.job) return;
    const id = this.job.id;
    await this.guard(async () => {
      this.onJob(await this.api.jobs.cancel({ id }));
    });
  }

  async refreshInterrupted(): Promise<void> {
    this.interrupted = await this.api.runs.interrupted();
  }

  private follow(job: JobOf<'training'>, runId: number, points: CurvePoint[]): void {
    this.job = job;
    this.runId = runId;
    this.progress = undefined;
    this.points = points;
    // Events sent before this call returned were not matched to the job: catch up once.
    this.api.jobs.get({ id: job.id }).then(
      (latest) => this.onJob(latest),
      () => undefined,
    );
  }

  private async findRunningJob(): Promise<void> {
    if (this.running) return;
    const job = (await this.api.jobs.list()).filter(isTrainingJob).find((j) => !isFinished(j.status));
    const progress = job?.data;
    if (!job || !progress) return;
    this.follow(job, progress.runId, await this.api.runs.curves({ id: progress.runId, maxPoints: 2000 }));
    this.onProgress(progress);
  }

  onProgress(p: TrainProgressInfo): void {
    if (p.runId !== this.runId) return;
    this.progress = p;
    this.points = mergePoints(this.points, [progressToPoint(p)]);
  }

  onJob(job: JobInfo): void {
    if (this.refresh && job.id === this.refresh.jobId) this.refresh = { ...this.refresh, status: job.status };
    if (job.id !== this.job?.id || !isTrainingJob(job)) return;
    this.job = job;
    const progress = progressFromJob(job);
    if (progress) this.onProgress(progress);
    if (isFinished(job.status)) void this.finish(job);
  }

  /** The stored curve is the record: replace the live one with it once the job ends. */
  private async finish(job: JobOf<'training'>): Promise<void> {
    if (job.status === 'failed' && job.error) this.error = `Training failed: ${job.error.message}`;
    const runId = this.runId;
    if (runId === undefined) return;
    await this.guard(async () => {
      const stored = await this.api.runs.curves({ id: runId, maxPoints: 5000 });
      if (this.runId === runId && stored.length > 0) this.points = mergePoints(stored, []);
      await this.refreshInterrupted();
      this.datasets = await this.api.datasets.list();
    });
    if (job.status === 'succeeded') await Promise.all([this.refreshPredictions(runId), this.refreshStartingModels()]);
  }

  /** The loop made short: the new run predicts the images still to annotate, so the next one is ready to correct. */
  private async refreshPredictions(runId: number): Promise<void> {
    try {
      const { job, images } = await this.api.segmentation.refreshUnannotated({ runId });
      this.refresh = job ? { jobId: job.id, runId, images, status: job.status } : undefined;
    } catch {
      // Predictions are also made on demand in Annotate: a failed refresh only loses the head start.
      this.refresh = undefined;
    }
  }
}

let shared: TrainSession | undefined;

/** The app's one training session, created and subscribed on first use. */
export function trainSession(): TrainSession {
  if (!shared) {
    shared = new TrainSession(window.unet);
    shared.attach();
  }
  return shared;
}
