import type { contextBridge, ipcRenderer, IpcRendererEvent } from 'electron';
import { contract } from '../../src-shared/contract/index';
import { createApiClient } from '../../src-shared/transport/api-client';
import type { CallOutcome, Transport } from '../../src-shared/transport/messages';
import { IPC_CALL, IPC_EVENT } from './ipc-channels';

type RendererIpc = Pick<typeof ipcRenderer, 'invoke' | 'on'>;

/** The desktop transport: calls through `ipcRenderer.invoke`, events from one IPC channel. */
export function createIpcTransport(renderer: RendererIpc): Transport {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  renderer.on(IPC_EVENT, (_event: IpcRendererEvent, channel: string, payload: unknown) => {
    for (const listener of listeners.get(channel) ?? []) listener(payload);
  });
  return {
    call: (method, input) => renderer.invoke(IPC_CALL, method, input) as Promise<CallOutcome>,
    subscribe(channel, listener) {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}

/**
 * Exposes exactly the contract as `window.unet`, built generically from its declaration: no Node,
 * no ipcRenderer and nothing else reaches the page.
 */
export function exposeApi(bridge: Pick<typeof contextBridge, 'exposeInMainWorld'>, renderer: RendererIpc): void {
  bridge.exposeInMainWorld('unet', createApiClient(contract, createIpcTransport(renderer)));
}
