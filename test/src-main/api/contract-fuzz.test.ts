import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contract, contractManifest, ERROR_CODES } from '../../../src-shared/contract/index';
import { createAppContext, type AppContext } from '../../../src-main/app/app-context';

// Every method of the real contract, called with wrong types, missing fields, huge strings, negative
// and NaN numbers: each call must come back as a typed outcome, and the services must keep answering.
const HUGE = 'x'.repeat(1_000_000);
const GARBAGE: unknown[] = [undefined, null, 0, -1, Number.NaN, Infinity, 'text', HUGE, true, [], [1, 'a'], { __proto__: { polluted: true } }, { constructor: { prototype: { x: 1 } } }, new Float32Array(3)];
const WRONG_FIELD_VALUES: unknown[] = [null, -1, -1e308, Number.NaN, Infinity, 1.5, HUGE, '', {}, [], true, new Uint8Array(2)];

function objectShape(schema: unknown): Record<string, unknown> | undefined {
  let s = schema as z.ZodType | undefined;
  // Unwrap defaults/optionals around the object.
  for (let i = 0; i < 4 && s; i++) {
    if (s instanceof z.ZodObject) return s.shape as Record<string, unknown>;
    const def = (s as unknown as { _zod?: { def?: { innerType?: z.ZodType } } })._zod?.def;
    s = def?.innerType;
  }
  return undefined;
}

let tmp: string;
let ctx: AppContext;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'fuzz-'));
  ctx = createAppContext({ mode: 'cli', workspacePath: path.join(tmp, 'ws') });
  process.on('unhandledRejection', onUnhandled);
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await ctx.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('contract fuzzing', () => {
  const { methods } = contractManifest(contract);

  it('covers every method of the contract', () => {
    expect(methods.length).toBeGreaterThanOrEqual(5);
  });

  it.each(methods)('%s answers garbage with typed errors and never throws', async (method) => {
    const [service, name] = method.split('.');
    const def = (contract as Record<string, { methods: Record<string, { input: unknown }> }>)[service].methods[name];
    const inputs: unknown[] = [...GARBAGE];
    const shape = objectShape(def.input);
    if (shape) {
      for (const key of Object.keys(shape)) for (const value of WRONG_FIELD_VALUES) inputs.push({ [key]: value });
      inputs.push(Object.fromEntries(Object.keys(shape).map((k) => [k, HUGE])));
    }
    let typedErrors = 0;
    for (const input of inputs) {
      const outcome = await ctx.dispatch(method, input);
      expect(outcome).toHaveProperty('ok');
      if (!outcome.ok) {
        expect(ERROR_CODES).toContain(outcome.error.code);
        expect(typeof outcome.error.message).toBe('string');
        expect(outcome.error.message.length).toBeLessThan(5000);
        expect(outcome.error.code).not.toBe('INTERNAL');
        typedErrors++;
      }
    }
    if (def.input !== null) expect(typedErrors).toBeGreaterThan(0);
    // Still answering.
    expect(await ctx.dispatch('system.ping', { echo: 'alive' })).toMatchObject({ ok: true, value: { echo: 'alive' } });
  });

  it('left no unhandled rejection behind', async () => {
    await new Promise((r) => setTimeout(r, 100));
    expect(unhandled).toEqual([]);
  });
});
