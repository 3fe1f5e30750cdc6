import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorInfo } from '../../../src-shared/contract/errors';
import type { JobInfo } from '../../../src-shared/contract/jobs';
import { createAppContext, type AppContext, type AppContextOptions } from '../../../src-main/app/app-context';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/datasets');

/** An app context on a temporary workspace, with helpers to call methods and watch events. */
export interface StoreApp {
  ctx: AppContext;
  /** A temporary folder for the test's own files. */
  tmp: string;
  call<T = unknown>(method: string, input?: unknown): Promise<T>;
  fail(method: string, input?: unknown): Promise<ErrorInfo>;
  events: { channel: string; payload: unknown }[];
  /** Runs a method that starts a job and waits for the job to end. */
  job(method: string, input: unknown): Promise<JobInfo>;
  /** Copies a fixture folder into tmp (tests that change files work on the copy). */
  copyFixture(name: string): string;
  dispose(): Promise<void>;
}

export function createStoreApp(options: Partial<AppContextOptions> = {}): StoreApp {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'unet-services-'));
  const ctx = createAppContext({ mode: 'cli', workspacePath: path.join(tmp, 'workspace'), ...options });
  const events: { channel: string; payload: unknown }[] = [];
  ctx.bus.subscribe((channel, payload) => {
    if (channel !== 'system.log' && channel !== 'jobs.update') events.push({ channel, payload });
  });
  const app: StoreApp = {
    ctx,
    tmp,
    events,
    async call<T>(method: string, input?: unknown): Promise<T> {
      const outcome = await ctx.dispatch(method, input);
      if (!outcome.ok) throw new Error(`${method} failed: ${outcome.error.code} ${outcome.error.message}`);
      return outcome.value as T;
    },
    async fail(method: string, input?: unknown): Promise<ErrorInfo> {
      const outcome = await ctx.dispatch(method, input);
      if (outcome.ok) throw new Error(`${method} succeeded but should have failed`);
      return outcome.error;
    },
    async job(method: string, input: unknown): Promise<JobInfo> {
      const started = await app.call<JobInfo>(method, input);
      return ctx.jobs.wait(started.id);
    },
    copyFixture(name: string): string {
      const target = path.join(tmp, 'data', name);
      cpSync(path.join(FIXTURES, name), target, { recursive: true });
      return target;
    },
    async dispose() {
      await ctx.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
  return app;
}
