import { contract, type Contract, type UnetServices } from '../../src-shared/contract/index';
import { isFinished } from '../../src-shared/contract/jobs';
import type { SystemInfo } from '../../src-shared/contract/system';
import { createDispatcher, type Dispatch } from '../api/dispatcher';
import { EventBus } from '../api/event-bus';
import { JobManager } from '../jobs/job-manager';
import { ComputeReporter } from '../pipeline/compute-report';
import { createJobsService } from '../services/jobs-service';
import { createSystemService } from '../services/system-service';
import { createAnnotationsService } from '../services/annotations-service';
import { createDatasetsService } from '../services/datasets-service';
import { createImagesService } from '../services/images-service';
import { createResultsService } from '../services/results-service';
import { createRunsService } from '../services/runs-service';
import { createSegmentationService } from '../services/segmentation-service';
import { createTrainingService } from '../services/training-service';
import { startTrainingInEngineProcess } from '../pipeline/engine-training';
import { createWorkspaceService } from '../services/workspace-service';
import { defaultImageIo } from '../store/default-image-io';
import type { WorkspaceContext } from '../pipeline/workspace-context';
import { WorkspaceHolder } from '../store/workspace-holder';
import { defaultWorkspacePath } from './default-workspace';
import { Logger } from '../support/logger';

export interface AppContextOptions {
  mode: SystemInfo['mode'];
  workspacePath?: string;
  /** Echo log lines to stderr (CLI and server). */
  echoLogs?: boolean;
  /** Which files the services may read or write (browser mode: the allowed roots). Default: all. */
  isPathAllowed?: (path: string) => boolean;
}

/**
 * Everything the transports need: the services behind the contract, the event bus they publish on,
 * the job manager, and the dispatcher that validates each call. Electron, browser mode and the CLI
 * each create one of these and differ only in how calls reach `dispatch`.
 */
export interface AppContext {
  readonly contract: Contract;
  readonly bus: EventBus;
  readonly jobs: JobManager;
  readonly logger: Logger;
  readonly services: UnetServices;
  readonly dispatch: Dispatch;
  /** The current workspace (opened on first use); main-side workflows use `workspace.current` directly. */
  readonly workspace: WorkspaceHolder;
  workspacePath: string;
  close(): Promise<void>;
}

export function createAppContext(options: AppContextOptions): AppContext {
  const bus = new EventBus();
  const logger = new Logger((entry) => bus.emit('system.log', entry), options.echoLogs ?? false);
  const jobs = new JobManager((job) => bus.emit('jobs.update', job));
  const ctx = {
    contract,
    bus,
    jobs,
    logger,
    workspacePath: options.workspacePath ?? defaultWorkspacePath(),
  } as AppContext;
  const workspace = new WorkspaceHolder(ctx.workspacePath, (ws) => {
    ctx.workspacePath = ws.path;
    for (const run of ws.recoveredRuns) logger.warn(`run ${run.id} (${run.name}) was interrupted: ${run.error?.message ?? ''}`, 'store');
  });
  const computeReporter = new ComputeReporter();
  const workspaceContext: WorkspaceContext = { workspace, bus, jobs, logger, io: defaultImageIo, isPathAllowed: options.isPathAllowed ?? (() => true) };
  const services: UnetServices = {
    system: createSystemService({
      mode: options.mode,
      workspacePath: () => ctx.workspacePath,
      compute: () => computeReporter.computeInfo(),
      gpu: () => computeReporter.report(true),
      logger,
    }),
    jobs: createJobsService(jobs),
    workspace: createWorkspaceService(workspaceContext),
    datasets: createDatasetsService(workspaceContext),
    images: createImagesService(workspaceContext),
    annotations: createAnnotationsService(workspaceContext),
    runs: createRunsService(workspaceContext),
    results: createResultsService(workspaceContext),
    training: createTrainingService({ context: workspaceContext, compute: computeReporter, startEngine: startTrainingInEngineProcess }),
    segmentation: createSegmentationService(workspaceContext),
  };
  Object.assign(ctx, {
    workspace,
    services,
    dispatch: createDispatcher(contract, services, (method, error) =>
      logger.error(`${method} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, 'api'),
    ),
    async close() {
      jobs.cancelAll();
      await settleJobs(jobs);
      workspace.close();
    },
  });
  return ctx;
}

/** Waits (briefly) for cancelled jobs to stop before the store they write to is closed. */
async function settleJobs(jobs: JobManager, timeoutMs = 5000): Promise<void> {
  const active = jobs.list().filter((job) => !isFinished(job.status));
  if (active.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([Promise.allSettled(active.map((job) => jobs.wait(job.id))), timeout]);
  clearTimeout(timer);
}
