import { z } from 'zod';
import { defineService, event, method, type ContractDef, type ContractImpl } from '../../src-shared/contract/define';
import { UnetError } from '../../src-shared/contract/errors';

/** A small contract used to test the plumbing independently of the app's services. */
export const testContract = {
  math: defineService({
    methods: {
      add: method(z.object({ a: z.number().finite(), b: z.number().finite() })).returns<number>(),
      boom: method().returns<void>(),
      missing: method(z.object({ id: z.string() })).returns<void>(),
      scale: method(z.object({ data: z.instanceof(Float32Array), factor: z.number() })).returns<Float32Array>(),
    },
    events: { tick: event<{ n: number }>() },
  }),
} satisfies ContractDef;

export const testServices: ContractImpl<typeof testContract> = {
  math: {
    add: ({ a, b }) => a + b,
    boom: () => {
      throw new Error('kaboom');
    },
    missing: ({ id }) => {
      throw new UnetError('NOT_FOUND', `no item ${id}`, { id });
    },
    scale: ({ data, factor }) => data.map((v) => v * factor),
  },
};
