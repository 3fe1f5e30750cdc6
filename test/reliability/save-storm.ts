import type { Contract } from '../../src-shared/contract/index';
import type { ContractApi } from '../../src-shared/contract/define';

/** An acknowledged save: the server answered with this version for maps made from this counter. */
export interface Ack {
  imageId: number;
  version: number;
  counter: number;
}

/**
 * Annotation maps that differ for every counter and compress poorly: classes 0..2 (unlabelled,
 * background, object) and instance ids on the object pixels, from a seeded hash of the counter.
 */
export function stormMaps(width: number, height: number, counter: number): { classMap: Uint8Array<ArrayBuffer>; instanceMap: Uint32Array<ArrayBuffer> } {
  let state = Math.imul(counter + 1, 0x9e3779b1) | 0;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x ^= x + Math.imul(x ^ (x >>> 7), 61 | x);
    return (x ^ (x >>> 14)) >>> 0;
  };
  const classMap = new Uint8Array(width * height);
  const instanceMap = new Uint32Array(width * height);
  for (let i = 0; i < classMap.length; i++) {
    const r = next();
    classMap[i] = r % 3;
    instanceMap[i] = classMap[i] === 2 ? 1 + ((r >>> 8) % 40) : 0;
  }
  // The counter itself is in the first pixels' instance ids, so no two saves can share content.
  instanceMap[0] = counter + 1;
  classMap[0] = 2;
  return { classMap, instanceMap };
}

export interface StormImage {
  id: number;
  width: number;
  height: number;
  /** The version the next save builds on. */
  baseVersion: number;
}

/**
 * Saves as fast as the server answers, one chain of versions per image, all images at once (so
 * several saves are always in flight). Calls `onAck` for every acknowledged save; stops sending
 * when `shouldStop()` says so or the connection fails. Resolves when every chain has stopped.
 */
export interface StormState {
  /** Counter for the next save's content. */
  next: number;
  /** Saves sent and not yet answered. */
  inFlight: number;
}

export async function saveStorm(
  api: ContractApi<Contract>,
  images: StormImage[],
  state: StormState,
  onAck: (ack: Ack) => void,
  shouldStop: () => boolean,
): Promise<{ failures: number }> {
  let failures = 0;
  await Promise.all(
    images.map(async (image) => {
      while (!shouldStop()) {
        const n = state.next++;
        state.inFlight++;
        try {
          const result = await api.annotations.save({ imageId: image.id, baseVersion: image.baseVersion, ...stormMaps(image.width, image.height, n), author: 'storm', message: `save ${n}` });
          image.baseVersion = result.version;
          onAck({ imageId: image.id, version: result.version, counter: n });
        } catch {
          // The server is gone (killed): whether this save was committed is unknown, and allowed either way.
          failures++;
          return;
        } finally {
          state.inFlight--;
        }
      }
    }),
  );
  return { failures };
}
