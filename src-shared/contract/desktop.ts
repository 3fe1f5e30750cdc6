/**
 * What the desktop app adds to the page besides the API: the system's file dialog and the paths of
 * dropped files (a browser page never sees local paths). Absent in browser mode, so the page checks
 * for `window.unetDesktop` and keeps its path field there.
 */
export interface PickPathsOptions {
  /** Folders or image files (one dialog cannot offer both on Windows and Linux). */
  kind: 'folders' | 'files';
  title?: string;
}

export const PICK_PATHS_KINDS = ['folders', 'files'] as const;

export interface DesktopBridge {
  /** Opens the system dialog; the chosen absolute paths, [] when cancelled. */
  pickPaths(options: PickPathsOptions): Promise<string[]>;
  /** The local path of a dropped file or folder (a DOM File); '' when it has none. */
  pathForFile(file: unknown): string;
}
