import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { contract, type Contract } from '../../src-shared/contract/index';
import type { ContractApi } from '../../src-shared/contract/define';
import type { JobInfo } from '../../src-shared/contract/jobs';
import { createApiClient } from '../../src-shared/transport/api-client';
import { WebSocketTransport } from '../../src-renderer/src/lib/api/websocket-transport';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServedApp {
  child: ChildProcess;
  port: number;
  token: string;
  /** Everything the process wrote (stdout and stderr). */
  output(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** A stand-in for the built renderer, so that these tests need no `npm run build`. */
export function fakeRenderer(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>U-Net Studio</title>');
  return dir;
}

/** Starts browser mode (`serve-entry.ts`) as a child process and waits for its "Open:" line. */
export async function startServedApp(args: string[], timeoutMs = 60_000): Promise<ServedApp> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src-main', 'entries', 'serve-entry.ts'), '--port', '0', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => {
    output += d.toString();
    stderr += d.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser mode did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const check = () => {
      const match = /Open: (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(new URL(match[1]));
      }
    };
    child.stdout!.on('data', check);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`browser mode exited (code ${code}, signal ${signal}):\n${output}`));
    });
  });
  return {
    child,
    port: Number(url.port),
    token: url.searchParams.get('token') ?? '',
    output: () => output,
    stderr: () => stderr,
    exited,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export interface ApiConnection {
  api: ContractApi<Contract>;
  transport: WebSocketTransport;
  close(): void;
}

/**
 * `ws` as the browser's WebSocket. A browser ignores an error event nobody listens to (the close
 * event that follows is what the transport handles); Node's EventEmitter would throw it instead.
 */
class BrowserLikeWebSocket extends WebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    this.on('error', () => undefined);
  }
}

/** The renderer's own client and transport, over the `ws` package standing in for the browser's WebSocket. */
export function connect(app: Pick<ServedApp, 'port' | 'token'>): ApiConnection {
  (globalThis as { WebSocket?: unknown }).WebSocket = BrowserLikeWebSocket;
  const transport = new WebSocketTransport(`ws://127.0.0.1:${app.port}/api?token=${app.token}`);
  return { api: createApiClient(contract, transport), transport, close: () => transport.close() };
}

/** Polls a job until it ends. */
export async function waitForJob(api: ContractApi<Contract>, id: string, timeoutMs = 60_000): Promise<JobInfo> {
  const t0 = Date.now();
  for (;;) {
    const job = await api.jobs.get({ id });
    if (['succeeded', 'failed', 'cancelled', 'interrupted'].includes(job.status)) return job;
    if (Date.now() - t0 > timeoutMs) throw new Error(`job ${id} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
