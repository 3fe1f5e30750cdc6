import { describe, expect, it } from 'vitest';
import { isOutOfMemoryMessage } from '../../../src-shared/contract/out-of-memory';

describe('isOutOfMemoryMessage', () => {
  it('recognises running out of memory in every runtime the app uses', () => {
    for (const message of [
      'Non-zero status code returned while running Conv node. Status Message: Failed to allocate memory for requested buffer of size 4294967296',
      'std::bad_alloc',
      'OOM when allocating tensor with shape[1,64,572,572]',
      'Aborted(Cannot enlarge memory arrays to size 2147549184 bytes (OOM).)',
      'RuntimeError: memory access out of bounds',
      'WebAssembly.Memory.grow(): Maximum memory size exceeded',
      'Array buffer allocation failed',
      'Invalid typed array length: 4294967296',
      'Invalid array length',
      'mmap: Cannot allocate memory',
      'CUDA error: out of memory',
    ]) {
      expect(isOutOfMemoryMessage(message), message).toBe(true);
    }
  });

  it('leaves other failures alone, including ones that merely mention memory', () => {
    for (const message of ['Unexpected end of data', 'shared memory segment is read-only', 'cannot reallocate a disposed tensor', 'ROOM is not a word here']) {
      expect(isOutOfMemoryMessage(message), message).toBe(false);
    }
  });
});
