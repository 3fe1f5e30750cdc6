import path from 'node:path';
import type { WorkspaceInfo } from '../../src-shared/contract/workspace';
import { Workspace, type WorkspaceOpenOptions } from './workspace';

/**
 * The app's current workspace, opened on first use so that a broken or too-new workspace does not
 * stop the app from starting (the error reaches whoever asked for it, and another can be opened).
 */
export class WorkspaceHolder {
  private opened: Workspace | null = null;

  constructor(
    private currentPath: string,
    private readonly onOpened: (workspace: Workspace) => void = () => {},
  ) {}

  get path(): string {
    return this.currentPath;
  }

  get isOpen(): boolean {
    return this.opened !== null;
  }

  /** The open workspace, opening it now if needed. */
  get current(): Workspace {
    if (!this.opened) {
      this.opened = Workspace.open(this.currentPath);
      this.onOpened(this.opened);
    }
    return this.opened;
  }

  /** Opens another workspace; the previous one is closed only once the new one opened. */
  open(dir: string, options: WorkspaceOpenOptions = {}): Workspace {
    // Reopening the open workspace would take this process's own running runs for crashed ones.
    if (this.opened && path.resolve(dir) === this.opened.path) return this.opened;
    const next = Workspace.open(dir, options);
    this.opened?.close();
    this.opened = next;
    this.currentPath = next.path;
    this.onOpened(next);
    return next;
  }

  close(): void {
    this.opened?.close();
    this.opened = null;
  }
}

export function describeWorkspace(ws: Workspace): WorkspaceInfo {
  const count = (sql: string) => (ws.db.prepare(sql).get() as { n: number }).n;
  return {
    path: ws.path,
    databasePath: ws.databasePath,
    modelsDir: ws.modelsDir,
    exportsDir: ws.exportsDir,
    cacheDir: ws.cacheDir,
    schemaVersion: ws.schemaVersion,
    datasetCount: count('SELECT count(*) AS n FROM datasets'),
    runCount: count('SELECT count(*) AS n FROM runs'),
    interruptedRunCount: count("SELECT count(*) AS n FROM runs WHERE status = 'interrupted'"),
  };
}
