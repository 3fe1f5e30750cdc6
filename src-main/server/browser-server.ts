import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeMessage, encodeMessage } from '../../src-shared/transport/codec';
import { MAX_WS_MESSAGE_BYTES } from '../../src-shared/transport/limits';
import { PROTOCOL_VERSION, type ClientMessage, type ServerMessage } from '../../src-shared/transport/messages';
import type { AppContext } from '../app/app-context';
import { securityHeaders } from '../support/security-headers';
import { serveStatic } from './static-files';
import { createToken, tokenMatches } from './token';

export interface BrowserServerOptions {
  host?: string;
  port?: number;
  /** Folder of the built renderer (index.html and assets). */
  rendererDir: string;
  token?: string;
  /** Largest WebSocket message accepted, in bytes. */
  maxMessageBytes?: number;
}

export interface BrowserServer {
  readonly url: string;
  readonly token: string;
  readonly port: number;
  readonly host: string;
  close(): Promise<void>;
}

const COOKIE = 'unet_token';
const API_PATH = '/api';

/**
 * Browser mode: the same services as the desktop app, reached over HTTP + WebSocket. Every request
 * needs the per-launch token (in the URL once, then an HttpOnly same-site cookie); WebSocket upgrades
 * must also come from the page's own origin.
 */
export async function startBrowserServer(ctx: AppContext, options: BrowserServerOptions): Promise<BrowserServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? createToken();
  const maxPayload = options.maxMessageBytes ?? MAX_WS_MESSAGE_BYTES;
  const headers = securityHeaders();

  const authorized = (req: IncomingMessage): { ok: boolean; viaQuery: boolean } => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const queryToken = url.searchParams.get('token');
    if (queryToken !== null) return { ok: tokenMatches(token, queryToken), viaQuery: true };
    return { ok: tokenMatches(token, readCookie(req.headers.cookie, COOKIE)), viaQuery: false };
  };

  const server: Server = createServer((req, res) => {
    const auth = authorized(req);
    if (!auth.ok) {
      res.writeHead(401, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('U-Net Studio: this address needs the access token printed when the server started.');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers);
      res.end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const extra: Record<string, string> = {};
    if (auth.viaQuery) extra['Set-Cookie'] = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    void serveStatic(options.rendererDir, url.pathname, res, { ...headers, ...extra });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const originOk = isSameOrigin(req);
    if (url.pathname !== API_PATH || !authorized(req).ok || !originOk) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attachClient(ctx, ws));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}/?token=${token}`,
    token,
    port,
    host,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function attachClient(ctx: AppContext, ws: WebSocket): void {
  const send = (message: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(encodeMessage(message));
  };
  const unsubscribe = ctx.bus.subscribe((channel, payload) => send({ type: 'event', channel, payload }));
  send({ type: 'hello', protocol: PROTOCOL_VERSION });
  ws.on('message', (data, isBinary) => {
    let message: ClientMessage;
    try {
      const bytes = isBinary ? toUint8(data) : new TextEncoder().encode(String(data));
      message = (isBinary ? decodeMessage(bytes) : JSON.parse(String(data))) as ClientMessage;
      if (!message || message.type !== 'call' || typeof message.id !== 'number') throw new Error('not a call');
    } catch {
      // A malformed frame cannot be answered by id; tell the client and keep the connection.
      send({ type: 'result', id: -1, outcome: { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'malformed message' } } });
      return;
    }
    void ctx.dispatch(message.method, message.input).then((outcome) => send({ type: 'result', id: message.id, outcome }));
  });
  ws.on('close', unsubscribe);
  ws.on('error', unsubscribe);
}

function toUint8(data: unknown): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data as Buffer[]));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  const b = data as Buffer;
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}

/** WebSocket upgrades must come from a page served by this server (no cross-site socket hijacking). */
function isSameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true; // non-browser clients (CLI, tests) send none; they still need the token
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
