import { describe, expect, it } from 'vitest';
import { toImageError } from '../../../src-main/io/io-errors';

describe('toImageError', () => {
  it('reports a decoder that ran out of memory as OUT_OF_MEMORY, by the rule the engine uses too', () => {
    for (const message of ['Array buffer allocation failed', 'std::bad_alloc', 'Aborted(Cannot enlarge memory arrays)']) {
      expect(toImageError('/d/a.tif', new RangeError(message)), message).toMatchObject({ code: 'OUT_OF_MEMORY', details: { path: '/d/a.tif' } });
    }
  });

  it('reports other decoder failures as a corrupt file and file-system errors by their errno', () => {
    expect(toImageError('/d/a.tif', new TypeError('Cannot read properties of undefined'))).toMatchObject({ code: 'CORRUPT', message: expect.stringMatching(/^\/d\/a\.tif: cannot be decoded/) });
    expect(toImageError('/d/a.tif', Object.assign(new Error('gone'), { code: 'ENOENT' }))).toMatchObject({ code: 'NOT_FOUND' });
  });
});
