import { app, BrowserWindow, dialog, ipcMain, session, shell, type IpcMainInvokeEvent } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createAppContext, type AppContext } from '../app/app-context';
import { contentSecurityPolicy } from '../support/security-headers';
import { IPC_CALL, IPC_EVENT, IPC_PICK_PATHS } from './ipc-channels';
import { createPickPaths } from './open-dialog';
import { mainWindowOptions } from './window-options';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererIndex = path.join(here, '..', 'renderer', 'index.html');
const rendererUrl = pathToFileURL(rendererIndex).href;

let window: BrowserWindow | undefined;
let ctx: AppContext | undefined;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(path.join(here, 'preload.cjs'), path.join(here, '..', '..', 'resources', 'icons', 'icon.png')));
  win.once('ready-to-show', () => win.show());
  // No navigation away from the app and no new windows; external links open in the system browser.
  win.webContents.on('will-navigate', (event, url) => {
    if (url !== rendererUrl) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void win.loadFile(rendererIndex);
  return win;
}

/** Calls are answered only for the app's own window and page. */
function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  return !!window && event.sender === window.webContents && event.senderFrame?.url === rendererUrl;
}

async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy()] } });
  });
  ctx = createAppContext({ mode: 'desktop', workspacePath: process.env.UNET_STUDIO_WORKSPACE ?? path.join(app.getPath('userData'), 'workspace') });
  ipcMain.handle(IPC_CALL, async (event, method: unknown, input: unknown) => {
    if (!isTrustedSender(event)) return { ok: false, error: { code: 'UNAUTHORIZED', message: 'calls are accepted only from the app window' } };
    return ctx!.dispatch(method, input);
  });
  const pickPaths = createPickPaths((win, options) => dialog.showOpenDialog(win, options), () => window);
  ipcMain.handle(IPC_PICK_PATHS, async (event, options: unknown) => (isTrustedSender(event) ? pickPaths(options) : []));
  ctx.bus.subscribe((channel, payload) => {
    if (window && !window.isDestroyed()) window.webContents.send(IPC_EVENT, channel, payload);
  });
  window = createWindow();
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => void ctx?.close());
}

void start();
