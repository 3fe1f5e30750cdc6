import { describe, expect, it, vi } from 'vitest';
import { createDispatcher } from '../../../src-main/api/dispatcher';
import { testContract, testServices } from '../../helpers/test-contract';

describe('dispatcher', () => {
  const onError = vi.fn();
  const dispatch = createDispatcher(testContract, testServices, onError);

  it('calls the implementation with validated input', async () => {
    expect(await dispatch('math.add', { a: 2, b: 3 })).toEqual({ ok: true, value: 5 });
  });

  it.each([
    ['wrong type', { a: '2', b: 3 }],
    ['missing field', { a: 1 }],
    ['NaN', { a: Number.NaN, b: 1 }],
    ['null input', null],
    ['array input', [1, 2]],
    ['huge string', { a: 'x'.repeat(1_000_000), b: 1 }],
  ])('rejects %s with INVALID_ARGUMENT naming the field', async (_name, input) => {
    const outcome = await dispatch('math.add', input);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.code).toBe('INVALID_ARGUMENT');
      expect(outcome.error.message).toMatch(/math\.add: invalid arguments/);
      expect(outcome.error.message.length).toBeLessThan(2000);
    }
  });

  it.each([['nope.add'], ['math.nope'], ['math.add.extra'], [42], [''], ['__proto__.constructor'], ['math.hasOwnProperty']])(
    'answers an unknown method %s with NOT_FOUND or INVALID_ARGUMENT',
    async (method) => {
      const outcome = await dispatch(method, {});
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(['NOT_FOUND', 'INVALID_ARGUMENT']).toContain(outcome.error.code);
    },
  );

  it('rejects input for a method that takes none', async () => {
    const outcome = await dispatch('math.boom', { x: 1 });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });

  it('keeps typed errors from services and wraps unknown ones as INTERNAL', async () => {
    expect(await dispatch('math.missing', { id: 'a' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'no item a', details: { id: 'a' } },
    });
    expect(await dispatch('math.boom', undefined)).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'kaboom' } });
    expect(onError).toHaveBeenCalledTimes(1);
  });
});
