import { contract, type UnetApi } from '../../src-shared/contract/index';
import { createApiClient } from '../../src-shared/transport/api-client';
import { createAppContext, type AppContext } from '../app/app-context';

export interface LocalApp {
  ctx: AppContext;
  /** The same typed API the renderer gets, answered in this process: the CLI takes the UI's path. */
  api: UnetApi;
  close(): Promise<void>;
}

export function openLocalApp(workspacePath: string | undefined, options: { verbose?: boolean } = {}): LocalApp {
  const ctx = createAppContext({ mode: 'cli', workspacePath, echoLogs: options.verbose === true });
  const api = createApiClient(contract, {
    call: (method, input) => ctx.dispatch(method, input),
    subscribe: (channel, listener) => ctx.bus.subscribe((c, payload) => c === channel && listener(payload)),
  });
  return { ctx, api, close: () => ctx.close() };
}
