import type { EventBus } from '../api/event-bus';
import type { Logger } from '../app/logger';
import type { JobManager } from '../jobs/job-manager';
import type { ImageIo } from './image-io';
import type { WorkspaceHolder } from './workspace-holder';

/** What the workspace services need from the app. */
export interface StoreContext {
  workspace: WorkspaceHolder;
  bus: EventBus;
  jobs: JobManager;
  logger: Logger;
  io: ImageIo;
  /** Browser mode restricts file access to allowed roots; other modes allow everything. */
  isPathAllowed: (path: string) => boolean;
}
