import { constants, deflateRawSync } from 'node:zlib';

const BLOCK = 1 << 20;
let zeroBlock: Uint8Array | undefined;

/**
 * A zlib stream that inflates to `bytes` zero bytes (rounded up to whole MiB) in about a thousandth
 * of that: one self-contained, byte-aligned deflate block for 1 MiB of zeros, repeated, then an empty
 * final block and the Adler-32 of the zeros. Nothing of the inflated size is ever allocated here.
 */
export function zlibBomb(bytes: number, prefix: Uint8Array = new Uint8Array(0)): Uint8Array {
  zeroBlock ??= new Uint8Array(deflateRawSync(new Uint8Array(BLOCK), { level: 9, finishFlush: constants.Z_FULL_FLUSH }));
  const blocks = Math.max(1, Math.ceil(bytes / BLOCK));
  // The prefix (e.g. the first rows' real data) goes in a stored block of its own.
  const stored = prefix.length > 0 ? storedBlock(prefix) : new Uint8Array(0);
  const out = new Uint8Array(2 + stored.length + blocks * zeroBlock.length + 5 + 4);
  out.set([0x78, 0xda]);
  out.set(stored, 2);
  for (let i = 0; i < blocks; i++) out.set(zeroBlock, 2 + stored.length + i * zeroBlock.length);
  let at = 2 + stored.length + blocks * zeroBlock.length;
  out.set([0x01, 0x00, 0x00, 0xff, 0xff], at);
  at += 5;
  const total = prefix.length + blocks * BLOCK;
  new DataView(out.buffer).setUint32(at, adler32Prefixed(prefix, total - prefix.length));
  return out;
}

/** Non-final stored blocks holding `data` (at most 65535 bytes each). */
function storedBlock(data: Uint8Array): Uint8Array {
  const parts: number[] = [];
  for (let i = 0; i < data.length; i += 0xffff) {
    const len = Math.min(0xffff, data.length - i);
    parts.push(0x00, len & 0xff, len >> 8, ~len & 0xff, (~len >> 8) & 0xff, ...data.subarray(i, i + len));
  }
  return Uint8Array.from(parts);
}

/** Adler-32 of `prefix` followed by `zeros` zero bytes, without materialising the zeros. */
function adler32Prefixed(prefix: Uint8Array, zeros: number): number {
  const MOD = 65521;
  let a = 1;
  let b = 0;
  for (const byte of prefix) {
    a = (a + byte) % MOD;
    b = (b + a) % MOD;
  }
  // Each zero byte leaves a unchanged and adds a to b.
  b = (b + (zeros % MOD) * a) % MOD;
  return ((b << 16) | a) >>> 0;
}
