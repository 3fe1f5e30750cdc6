import type { DesktopBridge } from '../../../../src-shared/contract/desktop';

declare global {
  interface Window {
    /** The desktop app's file dialog and dropped-file paths; undefined in browser mode. */
    unetDesktop?: DesktopBridge;
  }
}

export function desktopBridge(): DesktopBridge | undefined {
  return typeof window !== 'undefined' && typeof window.unetDesktop === 'object' && window.unetDesktop !== null ? window.unetDesktop : undefined;
}

export interface DroppedPaths {
  paths: string[];
  /** Why nothing can be imported, when that is so. */
  message?: string;
}

/**
 * The local paths of files and folders dropped on the window. Only the desktop app knows them; a
 * browser page gets file contents without paths, so browser mode asks for the path instead.
 */
export function droppedPaths(files: ArrayLike<unknown> | null | undefined, desktop: DesktopBridge | undefined): DroppedPaths {
  const list = files ? Array.from(files) : [];
  if (list.length === 0) return { paths: [], message: 'Nothing was dropped: drop image files or folders.' };
  if (!desktop) {
    return { paths: [], message: 'In browser mode dropped files have no path: type the folder\'s path on the machine running U-Net Studio in the import field.' };
  }
  const paths = [...new Set(list.map((f) => desktop.pathForFile(f)).filter((p) => p.length > 0))];
  return paths.length > 0 ? { paths } : { paths: [], message: 'The dropped items have no local path (drop files or folders from the file manager).' };
}
