import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { z } from 'zod';
import { contract, contractManifest, ERROR_CODES } from '../../src-shared/contract/index';
import { decodeMessage, encodeMessage } from '../../src-shared/transport/codec';
import type { CallOutcome } from '../../src-shared/transport/messages';
import { createRandom, type Random } from '../../scripts/fuzz/prng';
import { writeFigures } from './figures';
import { fakeRenderer, startServedApp, type ServedApp } from './served-app';

export interface WebSocketFuzzSuite {
  name: string;
  frames: number;
  seed: number;
}

const { methods } = contractManifest(contract);
// Methods that only report on the machine or start long work are left to their own tests.
const SKIPPED = new Set(['system.gpu', 'system.info']);
const FIELD_NAMES = new Set<string>(['id', 'ids', 'datasetId', 'imageId', 'paths', 'path', 'name', 'version', 'baseVersion', 'classMap', 'instanceMap', 'region', 'frame', 'limit', 'offset', 'echo', 'force', 'folder', 'runId']);
for (const method of methods) {
  const [service, name] = method.split('.');
  let schema = (contract as Record<string, { methods: Record<string, { input: unknown }> }>)[service].methods[name].input as z.ZodType | null;
  for (let i = 0; i < 4 && schema; i++) {
    if (schema instanceof z.ZodObject) {
      for (const key of Object.keys(schema.shape)) FIELD_NAMES.add(key);
      break;
    }
    schema = (schema as unknown as { _zod?: { def?: { innerType?: z.ZodType } } })._zod?.def?.innerType ?? null;
  }
}
const FIELDS = [...FIELD_NAMES, '__proto__', 'constructor', 'prototype', 'then', 'toString', ''];
const BOGUS_METHODS = ['', '.', 'system', 'system.', '.ping', 'system.ping.extra', '__proto__.x', 'constructor.prototype', 'system.__proto__', 'system.constructor', 'toString.call', 'hasOwnProperty.x', 'x'.repeat(300), 'ümlaut.método', 'system.ping\u0000'];

function randomString(r: Random): string {
  const n = r.chance(0.05) ? 100_000 + r.int(400_000) : r.int(40);
  const pool = ['a', '/', '..', '\u0000', '%2e', 'é', '😀', '"', '\\', ' ', '1'];
  let s = '';
  for (let i = 0; i < n; i += 8) s += r.pick(pool).repeat(Math.min(8, n - i));
  return s;
}

function randomValue(r: Random, depth = 0): unknown {
  switch (r.int(depth > 2 ? 9 : 12)) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.int(5) - 2;
    case 3:
      return r.pick([1.5, -1e308, 1e308, 2 ** 53 + 1, -0, 0.1, 4294967296, 65536]);
    case 4:
    case 5:
      return randomString(r);
    case 6:
      return new Uint8Array(r.int(64));
    case 7:
      return r.pick([new Float32Array(r.int(16)), new Uint32Array(r.int(16)), new Int16Array(3), new Float64Array(2)]);
    case 8:
      return r.pick([1, 2, 3, 100, 2 ** 31]);
    case 9:
      return Array.from({ length: r.int(6) }, () => randomValue(r, depth + 1));
    default: {
      const out: Record<string, unknown> = {};
      for (let i = 0, n = r.int(5); i < n; i++) out[r.pick(FIELDS)] = randomValue(r, depth + 1);
      return out;
    }
  }
}

/** Bytes that look like the binary framing but lie about their lengths, types and references. */
function lyingFrame(r: Random): Uint8Array {
  // Id -2: when the lie happens to be consistent, the frame is a real call and is answered as -2.
  const json = new TextEncoder().encode(JSON.stringify({ type: 'call', id: -2, method: 'system.ping', input: { echo: { $bin: r.int(4) - 1 } } }));
  const out = new Uint8Array(8 + json.length + 64);
  const view = new DataView(out.buffer);
  view.setUint32(0, r.pick([json.length, 0xffffffff, json.length + 100, 0]), true);
  out.set(json, 4);
  const table = (4 + json.length + 7) & ~7;
  if (table + 16 <= out.length) {
    view.setUint32(table, r.pick([0, 1, 0xffffffff, 1000]), true);
    view.setUint32(table + 4, r.pick([0, 8, 99, 0xffffffff]), true);
    view.setUint32(table + 8, r.pick([0, 3, 64, 0x7fffffff]), true);
  }
  return out;
}

type Frame = { data: Uint8Array | string; id: number | null; method?: string };

/** One frame: a call (answered by its id) or something malformed (answered with id -1). */
function randomFrame(r: Random, id: number): Frame {
  const kind = r.int(10);
  if (kind === 0) return { data: Uint8Array.from({ length: r.int(200) }, () => r.int(256)), id: null };
  if (kind === 1) return { data: lyingFrame(r), id: null };
  if (kind === 2) return { data: r.pick(['', '{', '[]', 'null', '42', '"call"', '{"type":"call"}', '{"type":"call","id":"7","method":"system.ping"}', '{"type":"event","id":1}', randomString(r)]), id: null };
  const method = r.chance(0.15) ? r.pick(BOGUS_METHODS) : r.pick(methods.filter((m) => !SKIPPED.has(m)));
  const input = r.chance(0.1) ? randomValue(r) : Object.fromEntries(Array.from({ length: r.int(5) }, () => [r.pick(FIELDS), randomValue(r)]));
  const message = { type: 'call', id, method, input };
  // Text frames carry plain JSON (typed arrays turn into objects); binary frames use the codec.
  return { data: r.chance(0.3) ? JSON.stringify(message) : encodeMessage(message), id, method };
}

/**
 * Random frames through the WebSocket of a running browser-mode server: garbage bytes, frames
 * whose binary framing lies, broken JSON, unknown and hostile method names, wrong types and huge
 * strings for every method. The server must answer each call exactly once (by its id) and each
 * malformed frame with a typed error, never crash, and answer a ping after every burst.
 */
export function webSocketFuzzSuite(suite: WebSocketFuzzSuite): void {
  describe(`WebSocket fuzzing of a running server (${suite.frames} frames)`, () => {
    let tmp: string;
    let app: ServedApp;

    beforeAll(async () => {
      tmp = mkdtempSync(path.join(os.tmpdir(), 'unet-wsfuzz-'));
      mkdirSync(path.join(tmp, 'data'));
      app = await startServedApp(['--workspace', path.join(tmp, 'workspace'), '--allow-root', path.join(tmp, 'data'), '--renderer-dir', fakeRenderer(path.join(tmp, 'renderer'))]);
    });

    afterAll(async () => {
      await app?.kill('SIGTERM');
      rmSync(tmp, { recursive: true, force: true });
    });

    it('answers every frame with a typed outcome and keeps answering', async () => {
      const ws = new WebSocket(`ws://127.0.0.1:${app.port}/api?token=${app.token}`);
      const answers = new Map<number, CallOutcome[]>();
      let malformedAnswers = 0;
      ws.on('message', (data, isBinary) => {
        const bytes = data as Buffer;
        const message = (isBinary ? decodeMessage(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)) : JSON.parse(String(data))) as {
          type: string;
          id: number;
          outcome: CallOutcome;
        };
        if (message.type !== 'result') return;
        if (message.id === -1 || message.id === -2) malformedAnswers++;
        else answers.set(message.id, [...(answers.get(message.id) ?? []), message.outcome]);
      });
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });

      const r = createRandom(suite.seed);
      let nextId = 1;
      let malformedSent = 0;
      const calls: number[] = [];
      const pings: number[] = [];
      const sentMethods = new Map<number, string>();
      const waitFor = async (done: () => boolean, what: string) => {
        const t0 = Date.now();
        while (!done()) {
          if (Date.now() - t0 > 30_000) throw new Error(`no answer for ${what} within 30 s (unanswered: ${calls.filter((id) => !answers.has(id)).map((id) => sentMethods.get(id)).join(', ')}; malformed ${malformedAnswers}/${malformedSent})`);
          if (app.child.exitCode !== null || app.child.signalCode !== null) throw new Error(`the server died:\n${app.output().slice(-2000)}`);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      };
      for (let sent = 0; sent < suite.frames; ) {
        const burst = Math.min(50, suite.frames - sent);
        for (let i = 0; i < burst; i++, sent++) {
          const frame = randomFrame(r, nextId);
          if (frame.id === null) malformedSent++;
          else {
            sentMethods.set(nextId, frame.method ?? '');
            calls.push(nextId++);
          }
          ws.send(frame.data);
        }
        const ping = nextId++;
        pings.push(ping);
        ws.send(encodeMessage({ type: 'call', id: ping, method: 'system.ping', input: { echo: `burst ${sent}` } }));
        await waitFor(() => answers.has(ping), `the ping after ${sent} frames`);
        const pong = answers.get(ping)?.[0];
        expect(pong?.ok && (pong.value as { echo: string }).echo).toBe(`burst ${sent}`);
      }
      await waitFor(() => calls.every((id) => answers.has(id)) && malformedAnswers >= malformedSent, 'the last calls');
      ws.close();

      const problems: string[] = [];
      const codes: Record<string, number> = {};
      for (const id of calls) {
        const outcomes = answers.get(id) ?? [];
        if (outcomes.length !== 1) problems.push(`call ${id} answered ${outcomes.length} times`);
        const outcome = outcomes[0];
        if (outcome && !outcome.ok) {
          codes[outcome.error.code] = (codes[outcome.error.code] ?? 0) + 1;
          if (!(ERROR_CODES as readonly string[]).includes(outcome.error.code) || outcome.error.code === 'INTERNAL') problems.push(`call ${id}: ${outcome.error.code} ${outcome.error.message.slice(0, 200)}`);
          if (outcome.error.message.length > 5000) problems.push(`call ${id}: a ${outcome.error.message.length}-character error message`);
        }
      }
      if (malformedAnswers !== malformedSent) problems.push(`${malformedSent} malformed frames, ${malformedAnswers} answers`);
      const figures = { frames: suite.frames, calls: calls.length, malformedFrames: malformedSent, pings: pings.length, errorCodes: codes, problems: problems.length, serverAlive: app.child.exitCode === null };
      writeFigures(suite.name, figures);
      console.log(`${suite.name}: ${JSON.stringify(figures)}`);
      expect(problems).toEqual([]);
      expect(app.child.exitCode).toBeNull();
      expect(app.stderr()).not.toMatch(/Uncaught|unhandled/i);
    });
  });
}
