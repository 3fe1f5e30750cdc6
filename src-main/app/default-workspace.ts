import os from 'node:os';
import path from 'node:path';

/**
 * Where the default workspace lives when none is given: UNET_STUDIO_WORKSPACE, else the platform's
 * per-user data folder (the same place Electron's userData points to).
 */
export function defaultWorkspacePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.UNET_STUDIO_WORKSPACE) return path.resolve(env.UNET_STUDIO_WORKSPACE);
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'U-Net Studio', 'workspace');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'U-Net Studio', 'workspace');
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'unet-studio', 'workspace');
}
