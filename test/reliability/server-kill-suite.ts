import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGrayPng } from '../../src-main/io/png/png-writer';
import { writeFigures } from './figures';
import { saveStorm, stormMaps, type Ack, type StormImage, type StormState } from './save-storm';
import { connect, fakeRenderer, startServedApp, waitForJob, type ServedApp } from './served-app';

export interface ServerKillSuite {
  name: string;
  /** How many times the server is killed (and restarted). */
  kills: number;
  /** Acknowledged saves before each kill. */
  acksPerKill: number;
  images: number;
}

const WIDTH = 48;
const HEIGHT = 40;

/** The database file as the kill left it: consistent, before any server opens (and repairs) it. */
function integrityOf(workspace: string): string {
  const db = new Database(path.join(workspace, 'workspace.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

/**
 * Browser mode killed with SIGKILL while a client saves annotations as fast as it can, then
 * restarted on the same workspace: the database is intact and every acknowledged save is there,
 * byte for byte.
 */
export function serverKillSuite(suite: ServerKillSuite): void {
  describe(`browser mode killed mid-save (${suite.kills} kill(s), >= ${suite.acksPerKill} saves each)`, () => {
    let tmp: string;
    let workspace: string;
    let serveArgs: string[];
    let app: ServedApp | undefined;

    beforeAll(() => {
      tmp = mkdtempSync(path.join(os.tmpdir(), 'unet-kill-'));
      workspace = path.join(tmp, 'workspace');
      const data = path.join(tmp, 'data');
      mkdirSync(data);
      for (let i = 0; i < suite.images; i++) {
        const pixels = Uint8Array.from({ length: WIDTH * HEIGHT }, (_, k) => (k * (i + 3)) & 0xff);
        writeFileSync(path.join(data, `cells-${i}.png`), encodeGrayPng(pixels, WIDTH, HEIGHT));
      }
      serveArgs = ['--workspace', workspace, '--allow-root', data, '--renderer-dir', fakeRenderer(path.join(tmp, 'renderer'))];
    });

    afterAll(async () => {
      await app?.kill('SIGKILL');
      rmSync(tmp, { recursive: true, force: true });
    });

    it('keeps every acknowledged save, byte-identical, and an intact database', async () => {
      app = await startServedApp(serveArgs);
      let conn = connect(app);
      const dataset = await conn.api.datasets.create({ name: 'kill test' });
      const job = await conn.api.images.import({ datasetId: dataset.id, paths: [path.join(tmp, 'data')] });
      expect((await waitForJob(conn.api, job.id)).status).toBe('succeeded');
      const page = await conn.api.images.list({ datasetId: dataset.id });
      expect(page.total).toBe(suite.images);
      const images: StormImage[] = page.items.map((item) => ({ id: item.id, width: item.width, height: item.height, baseVersion: 0 }));

      const acks: Ack[] = [];
      const state: StormState = { next: 0, inFlight: 0 };
      let unacknowledged = 0;
      const inFlightAtKills: number[] = [];
      for (let round = 0; round < suite.kills; round++) {
        const target = acks.length + suite.acksPerKill;
        const server = app;
        let killed = false;
        let scheduled = false;
        const storm = saveStorm(conn.api, images, state, (ack) => {
          acks.push(ack);
          if (!scheduled && acks.length >= target) {
            scheduled = true;
            // From a timer, not from this acknowledgement: by then every image's next save is on its way.
            setTimeout(() => {
              inFlightAtKills.push(state.inFlight);
              killed = true;
              server.child.kill('SIGKILL');
            }, round % 4);
          }
        }, () => killed);
        const { failures } = await storm;
        unacknowledged += failures;
        expect((await server.exited).signal).toBe('SIGKILL');
        conn.close();
        expect(integrityOf(workspace), `integrity after kill ${round + 1}`).toBe('ok');

        app = await startServedApp(serveArgs);
        conn = connect(app);
        // The next round builds on what the database really holds (a save may have committed unacknowledged).
        for (const image of images) {
          const history = await conn.api.annotations.history({ imageId: image.id });
          const latest = history[0]?.version ?? 0;
          expect(latest, `image ${image.id}: latest version after restart`).toBeGreaterThanOrEqual(image.baseVersion);
          expect(history.map((h) => h.version), `image ${image.id}: versions without gaps`).toEqual(Array.from({ length: latest }, (_, i) => latest - i));
          image.baseVersion = latest;
        }
      }

      let mismatches = 0;
      const api = conn.api;
      const check = async (ack: Ack) => {
        const stored = await api.annotations.get({ imageId: ack.imageId, version: ack.version });
        const expected = stormMaps(WIDTH, HEIGHT, ack.counter);
        const same =
          Buffer.from(stored.classMap).equals(Buffer.from(expected.classMap)) &&
          Buffer.from(stored.instanceMap.buffer, stored.instanceMap.byteOffset, stored.instanceMap.byteLength).equals(Buffer.from(expected.instanceMap.buffer));
        if (!same) mismatches++;
      };
      for (let i = 0; i < acks.length; i += 32) await Promise.all(acks.slice(i, i + 32).map(check));
      conn.close();
      await app.kill('SIGTERM');
      expect(integrityOf(workspace)).toBe('ok');
      const figures = { kills: suite.kills, acknowledgedSaves: acks.length, inFlightAtKills, unanswered: unacknowledged, lostOrChanged: mismatches, integrity: 'ok' };
      writeFigures(suite.name, figures);
      console.log(`${suite.name}: ${JSON.stringify(figures)}`);
      expect(mismatches).toBe(0);
      expect(acks.length).toBeGreaterThanOrEqual(suite.kills * suite.acksPerKill);
      // Every kill came while saves were on their way.
      expect(inFlightAtKills.every((n) => n > 0), `in flight at the kills: ${inFlightAtKills}`).toBe(true);
    });
  });
}
