import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { contract, UnetError } from '../../../src-shared/contract/index';
import { createApiClient } from '../../../src-shared/transport/api-client';
import { createAppContext, type AppContext } from '../../../src-main/app/app-context';
import { startBrowserServer, type BrowserServer } from '../../../src-main/server/browser-server';
import { WebSocketTransport } from '../../../src-renderer/src/lib/api/websocket-transport';
import { TRAINING_BACKENDS } from '../../../src-shared/contract/system';

let tmp: string;
let ctx: AppContext;
let server: BrowserServer;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'serve-'));
  const rendererDir = path.join(tmp, 'renderer');
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<html>app</html>');
  writeFileSync(path.join(rendererDir, 'assets', 'a.js'), 'console.log(1)');
  writeFileSync(path.join(tmp, 'secret.txt'), 'top secret');
  symlinkSync(path.join(tmp, 'secret.txt'), path.join(rendererDir, 'assets', 'link.txt'));
  ctx = createAppContext({ mode: 'browser', workspacePath: path.join(tmp, 'ws') });
  server = await startBrowserServer(ctx, { rendererDir, port: 0 });
  // The renderer's transport uses the browser WebSocket API; `ws` provides the same interface in Node.
  (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
});

afterAll(async () => {
  await server.close();
  await ctx.close();
  rmSync(tmp, { recursive: true, force: true });
});

const base = () => `http://127.0.0.1:${server.port}`;
const apiUrl = () => `ws://127.0.0.1:${server.port}/api?token=${server.token}`;

describe('browser mode server', () => {
  it('binds loopback and prints a URL with the token', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`${base()}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses requests without the token or with a wrong one', async () => {
    expect((await fetch(`${base()}/`)).status).toBe(401);
    expect((await fetch(`${base()}/?token=wrong`)).status).toBe(401);
    expect((await fetch(`${base()}/assets/a.js`)).status).toBe(401);
  });

  it('serves the app with the token and sets a same-site cookie for later requests', async () => {
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('<html>app</html>');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const asset = await fetch(`${base()}/assets/a.js`, { headers: { cookie: cookie.split(';')[0] } });
    expect(asset.status).toBe(200);
  });

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/link.txt', '/%00', '//etc/passwd'])(
    'never serves a file outside the renderer folder: %s',
    async (p) => {
      const res = await fetch(`${base()}${p}${p.includes('?') ? '&' : '?'}token=${server.token}`);
      expect(await res.text()).not.toContain('top secret');
      expect(res.status).toBe(404);
    },
  );

  it('refuses WebSocket upgrades without the token or from another origin', async () => {
    const refused = (url: string, headers?: Record<string, string>) =>
      new Promise<boolean>((resolve) => {
        const ws = new WebSocket(url, { headers });
        ws.on('open', () => {
          ws.close();
          resolve(false);
        });
        ws.on('error', () => resolve(true));
      });
    expect(await refused(`ws://127.0.0.1:${server.port}/api`)).toBe(true);
    expect(await refused(`ws://127.0.0.1:${server.port}/api?token=nope`)).toBe(true);
    expect(await refused(apiUrl(), { Origin: 'http://evil.example' })).toBe(true);
    expect(await refused(apiUrl(), { Origin: base() })).toBe(false);
  });

  it('round-trips a call, an event and a typed error through the renderer client', async () => {
    const transport = new WebSocketTransport(apiUrl());
    const api = createApiClient(contract, transport);
    try {
      const info = await api.system.info();
      expect(info.mode).toBe('browser');
      expect(TRAINING_BACKENDS).toContain(info.compute.training);

      const logs: string[] = [];
      const unsubscribe = api.system.onLog((entry) => logs.push(entry.message));
      ctx.logger.info('hello from the server');
      await expect.poll(() => logs).toContain('hello from the server');
      unsubscribe();

      const bad = await api.system.ping({ echo: 42 as unknown as string }).catch((e: unknown) => e);
      expect(bad).toBeInstanceOf(UnetError);
      expect((bad as UnetError).code).toBe('INVALID_ARGUMENT');
      await expect(api.jobs.get({ id: 'missing' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      // The server keeps answering after bad calls.
      expect((await api.system.ping({ echo: 'still here' })).echo).toBe('still here');
    } finally {
      transport.close();
    }
  });

  it('refuses to send a call larger than the server takes, with a typed error, and keeps the connection', async () => {
    const transport = new WebSocketTransport(apiUrl(), 4096);
    const api = createApiClient(contract, transport);
    try {
      await expect(api.system.ping({ echo: 'x'.repeat(5000) })).rejects.toMatchObject({ code: 'TOO_LARGE', message: expect.stringMatching(/system\.ping.*browser mode takes up to/) });
      expect((await api.system.ping({ echo: 'small' })).echo).toBe('small');
    } finally {
      transport.close();
    }
  });

  it('answers a malformed frame with a typed error and keeps the connection', async () => {
    const ws = new WebSocket(apiUrl());
    const messages: string[] = [];
    await new Promise<void>((resolve) => ws.on('open', () => resolve()));
    ws.on('message', (data) => messages.push(String(data)));
    ws.send(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9]));
    ws.send('{"not":"a call"');
    await expect.poll(() => messages.filter((m) => m.includes('malformed')).length).toBe(2);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
  });
});
