import { contract, type UnetApi } from '../../../../src-shared/contract/index';
import { createApiClient } from '../../../../src-shared/transport/api-client';
import { WebSocketTransport } from './websocket-transport';

declare global {
  interface Window {
    /** The app's API: provided by the Electron preload, or by the WebSocket client in browser mode. */
    unet: UnetApi;
  }
}

/**
 * In the desktop app the preload has already put `window.unet` in place. In a browser, connect to the
 * serving process over WebSocket (the page's cookie carries the access token).
 */
export function connectApi(): { api: UnetApi; transport?: WebSocketTransport } {
  if (typeof window.unet === 'object' && window.unet !== null) return { api: window.unet };
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const token = new URLSearchParams(location.search).get('token');
  const url = `${scheme}//${location.host}/api${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  const transport = new WebSocketTransport(url);
  const api = createApiClient(contract, transport);
  window.unet = api;
  return { api, transport };
}
