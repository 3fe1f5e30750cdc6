import type { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { DesktopBridge, PickPathsOptions } from '../../src-shared/contract/desktop';
import { IPC_PICK_PATHS } from './ipc-channels';

/**
 * Exposes `window.unetDesktop`: the open dialog (through one IPC channel, answered by the main
 * process) and the path of a dropped File (Electron's webUtils; File.path is gone since Electron 32).
 * Only these two functions reach the page.
 */
export function exposeDesktop(
  bridge: Pick<typeof contextBridge, 'exposeInMainWorld'>,
  renderer: Pick<typeof ipcRenderer, 'invoke'>,
  utils: Pick<typeof webUtils, 'getPathForFile'>,
): void {
  const desktop: DesktopBridge = {
    async pickPaths(options: PickPathsOptions) {
      const paths = await renderer.invoke(IPC_PICK_PATHS, options);
      return Array.isArray(paths) ? paths.filter((p): p is string => typeof p === 'string') : [];
    },
    pathForFile(file: unknown) {
      try {
        return utils.getPathForFile(file as File);
      } catch {
        return '';
      }
    },
  };
  bridge.exposeInMainWorld('unetDesktop', desktop);
}
