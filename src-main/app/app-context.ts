import { contract, type Contract, type UnetServices } from '../../src-shared/contract/index';
import type { SystemInfo } from '../../src-shared/contract/system';
import { createDispatcher, type Dispatch } from '../api/dispatcher';
import { EventBus } from '../api/event-bus';
import { JobManager } from '../jobs/job-manager';
import { probeComputeInfo } from '../services/compute-info';
import { createJobsService } from '../services/jobs-service';
import { createSystemService } from '../services/system-service';
import { defaultWorkspacePath } from './default-workspace';
import { Logger } from './logger';

export interface AppContextOptions {
  mode: SystemInfo['mode'];
  workspacePath?: string;
  /** Echo log lines to stderr (CLI and server). */
  echoLogs?: boolean;
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
  const services: UnetServices = {
    system: createSystemService({
      mode: options.mode,
      workspacePath: () => ctx.workspacePath,
      compute: probeComputeInfo,
      logger,
    }),
    jobs: createJobsService(jobs),
  };
  Object.assign(ctx, {
    services,
    dispatch: createDispatcher(contract, services, (method, error) =>
      logger.error(`${method} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, 'api'),
    ),
    async close() {
      jobs.cancelAll();
    },
  });
  return ctx;
}
