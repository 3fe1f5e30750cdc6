import { z } from 'zod';
import { defineService, event, method } from './define';
import { fsPath } from './records';

export interface WorkspaceInfo {
  /** The workspace folder. */
  path: string;
  databasePath: string;
  modelsDir: string;
  exportsDir: string;
  cacheDir: string;
  schemaVersion: number;
  datasetCount: number;
  runCount: number;
  /** Runs waiting for a decision after a crash (see runs.interrupted). */
  interruptedRunCount: number;
}

export const workspaceService = defineService({
  methods: {
    /** The open workspace (opened on first use). */
    current: method().returns<WorkspaceInfo>(),
    /** Opens another workspace folder (created when missing unless create is false); the previous one is closed. */
    open: method(z.object({ path: fsPath, create: z.boolean().default(true) })).returns<WorkspaceInfo>(),
  },
  events: {
    changed: event<WorkspaceInfo>(),
  },
});
