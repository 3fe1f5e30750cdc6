import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAppContext, type AppContext } from '../app/app-context';
import { appRoot } from '../support/app-info';
import { createPathPolicy } from './allowed-roots';
import { startBrowserServer, type BrowserServer } from './browser-server';

export interface ServeOptions {
  host?: string;
  port?: number;
  workspacePath?: string;
  rendererDir?: string;
  /**
   * Folders whose files the browser may import from, export to or open as workspaces, besides the
   * open workspace itself. Default: the user's home folder.
   */
  allowRoots?: string[];
}

export function defaultRendererDir(): string {
  return path.join(appRoot(), 'dist', 'renderer');
}

/** Starts browser mode: the app's services plus the HTTP/WebSocket server in this process. */
export async function serve(options: ServeOptions): Promise<{ ctx: AppContext; server: BrowserServer; allowRoots: string[] }> {
  const rendererDir = options.rendererDir ?? defaultRendererDir();
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`the renderer is not built (${rendererDir} has no index.html): run "npm run build" first`);
  }
  const host = options.host ?? '127.0.0.1';
  const allowRoots = (options.allowRoots?.length ? options.allowRoots : [os.homedir()]).map((root) => path.resolve(root));
  // Whoever has the token works through this process, so file access stays inside the chosen roots.
  let ctx: AppContext | undefined;
  const isPathAllowed = createPathPolicy(() => (ctx ? [ctx.workspacePath, ...allowRoots] : allowRoots));
  ctx = createAppContext({ mode: 'browser', workspacePath: options.workspacePath, echoLogs: true, isPathAllowed });
  const server = await startBrowserServer(ctx, { host, port: options.port ?? 0, rendererDir });
  if (!isLoopback(host)) {
    ctx.logger.warn(`listening on ${host}: anyone who can reach this address and has the token can use this workspace`, 'serve');
  }
  return { ctx, server, allowRoots };
}

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost';
}
