import type { EventBus } from '../api/event-bus';
import type { JobManager } from '../jobs/job-manager';
import type { ImageIo } from '../store/image-io';
import type { WorkspaceHolder } from '../store/workspace-holder';
import type { Logger } from '../support/logger';

/**
 * What the use cases and the services that call them need from the app: the open workspace, the bus
 * their events go out on, the job manager, the log, image I/O and the file-access rule. The app
 * builds one (`createAppContext`); the command-line workflows build their own.
 */
export interface WorkspaceContext {
  workspace: WorkspaceHolder;
  bus: EventBus;
  jobs: JobManager;
  logger: Logger;
  io: ImageIo;
  /** Browser mode restricts file access to allowed roots; other modes allow everything. */
  isPathAllowed: (path: string) => boolean;
}
