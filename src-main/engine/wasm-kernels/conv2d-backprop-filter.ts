import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import {
  asWasmBackend,
  byteOffset,
  dispose,
  gemm,
  heapF32,
  makeView,
  releaseView,
  runWasmKernel,
  tensorId,
  transposeInto,
  type HeapView,
  type WasmBackend,
} from './wasm-heap';

/**
 * The filter gradient dW[ky, kx, ci, co] = sum over output pixels p of x[p + (ky, kx), ci] * dy[p, co],
 * which the wasm backend does not ship. Everything heavy runs in XNNPACK's matrix multiply:
 *
 * - stride 1 (the 3x3 convolutions): indexing the output on the input's grid (q = y * W + x, dy zero
 *   where no output pixel exists), tap (ky, kx) of dW is x's channel-major rows shifted by ky*W + kx —
 *   a plain offset into one buffer, so every tap is a GEMM [ci, q] x [q, co] on a zero-copy view, the
 *   nine sharing one packed dy. The q axis is cut into cache-sized chunks (each with a halo for the
 *   shift) and the chunks' products are summed.
 * - stride == kernel, no padding (the 2x2 up-convolutions): one transpose to [kh*kw*ci, P] and one GEMM.
 * - anything else: per-tap strided slices, each transposed and multiplied.
 */
function conv2DBackpropFilter(args: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: unknown; attrs: Conv2DBackpropFilterAttrs }): TensorInfo {
  const backend = asWasmBackend(args.backend);
  const { x, dy } = args.inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs;
  if (dataFormat !== 'NHWC') throw new Error(`wasm Conv2DBackpropFilter supports NHWC only, got ${dataFormat}`);
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') throw new Error('wasm Conv2DBackpropFilter supports float32 only');
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const { top, bottom, left, right } = info.padInfo;
  if (info.strideHeight === 1 && info.strideWidth === 1) return strideOne(backend, x, dy, info, [top, bottom, left, right]);
  if (
    info.strideHeight === info.filterHeight &&
    info.strideWidth === info.filterWidth &&
    top === 0 &&
    bottom === 0 &&
    left === 0 &&
    right === 0
  ) {
    return strideEqualsKernel(backend, x, dy, info);
  }
  return perTap(backend, x, dy, info, [top, bottom, left, right]);
}

function padded(backend: WasmBackend, x: TensorInfo, [top, bottom, left, right]: number[]): TensorInfo | null {
  if (top === 0 && bottom === 0 && left === 0 && right === 0) return null;
  return runWasmKernel('PadV2', backend, { x }, { paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0 } as never);
}

/**
 * Columns per chunk of the stride-1 path: a chunk's A rows [ci, L] and packed B [L, co] should stay in
 * the last-level cache while XNNPACK walks them once per 4-row block of A.
 */
let chunkFloats = 1 << 19;

/** Tuning knob for benchmarks (and tests of the multi-chunk path): floats of A plus B per chunk. */
export function setBackpropFilterChunkFloats(floats: number): void {
  chunkFloats = Math.max(64, Math.floor(floats));
}

function strideOne(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo, pads: number[]): TensorInfo {
  const xPad = padded(backend, x, pads);
  const xp = xPad ?? x;
  const [n, H, W, ci] = xp.shape;
  const { filterHeight: kh, filterWidth: kw, outHeight: ho, outWidth: wo, outChannels: co } = info;
  if (ho !== H - kh + 1 || wo !== W - kw + 1) {
    dispose(backend, xPad);
    return perTap(backend, x, dy, info, pads);
  }
  const hw = H * W;
  const taps = kh * kw;
  // Output pixel (y, x) sits at q = y * W + x on the input grid; tap (ky, kx) reads input row q + off.
  const kq = (ho - 1) * W + wo;
  const offMax = (kh - 1) * W + (kw - 1);
  const kc = Math.min(kq, Math.max(16, Math.floor(chunkFloats / (ci + co))));
  const len = kc + offMax;
  const chunks = Math.ceil(kq / kc);
  const rowsNeeded = (chunks - 1) * kc + len;

  // Chunk j holds input rows [j*kc, j*kc + len) channel-major: [ci, len]. The extra offMax columns let
  // every tap be a plain offset view; B's rows past kc are zero, so what a view reads beyond its own
  // row is multiplied by 0.
  const staging = rowsNeeded > hw ? backend.makeOutput([rowsNeeded * ci], 'float32') : null;
  const xt = backend.makeOutput([chunks * ci * len + offMax], 'float32');
  const dyB = backend.makeOutput([chunks * len * co], 'float32');
  // A single product goes straight into the result; several are summed from a scratch buffer.
  const direct = chunks === 1 && n === 1;
  const scratch = direct ? null : backend.makeOutput([chunks * taps * ci * co], 'float32');
  const out = backend.makeOutput([kh, kw, ci, co], 'float32');
  const per = taps * ci * co;
  if (!direct) heapF32(backend, out).fill(0);
  try {
    for (let b = 0; b < n; b++) {
      const heap = backend.wasm.HEAPF32;
      const xb = (byteOffset(backend, xp) >>> 2) + b * hw * ci;
      let source = byteOffset(backend, xp) + b * hw * ci * 4;
      if (staging) {
        const st = byteOffset(backend, staging) >>> 2;
        heap.copyWithin(st, xb, xb + hw * ci);
        heap.fill(0, st + hw * ci, st + rowsNeeded * ci);
        source = byteOffset(backend, staging);
      }
      const xtOff = byteOffset(backend, xt) >>> 2;
      heap.fill(0, xtOff + chunks * ci * len, xtOff + chunks * ci * len + offMax);
      scatterRows(backend, dy, b, dyB, { ho, wo, W, co, kc, len });
      for (let j = 0; j < chunks; j++) {
        const src = makeView(backend, source + j * kc * ci * 4, [len, ci]);
        const dst = makeView(backend, byteOffset(backend, xt) + j * ci * len * 4, [ci, len]);
        transposeInto(backend, src.id, [len, ci], [1, 0], dst.id);
        releaseView(backend, src);
        releaseView(backend, dst);
        // One packed B per chunk, shared by the taps; releasing the view drops XNNPACK's copy.
        const bView = makeView(backend, byteOffset(backend, dyB) + j * len * co * 4, [len, co]);
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            const tap = ky * kw + kx;
            const a = makeView(backend, byteOffset(backend, xt) + (j * ci * len + ky * W + kx) * 4, [ci, len]);
            const target = direct ? byteOffset(backend, out) + tap * ci * co * 4 : byteOffset(backend, scratch as TensorInfo) + (j * taps + tap) * ci * co * 4;
            const o = makeView(backend, target, [ci, co]);
            gemm(backend, a.id, ci, len, bView.id, co, o.id);
            releaseView(backend, a);
            releaseView(backend, o);
          }
        }
        releaseView(backend, bView);
      }
      if (scratch) {
        const h = backend.wasm.HEAPF32;
        const sc = byteOffset(backend, scratch) >>> 2;
        const o0 = byteOffset(backend, out) >>> 2;
        for (let j = 0; j < chunks; j++) {
          const base = sc + j * per;
          for (let i = 0; i < per; i++) h[o0 + i] += h[base + i];
        }
      }
    }
  } finally {
    dispose(backend, staging, xt, dyB, scratch, xPad);
  }
  return out;
}

/** Writes dy (batch b) into chunked rows: output pixel q = y*W + x goes to chunk q / kc, row q % kc; the rest is 0. */
function scatterRows(
  backend: WasmBackend,
  dy: TensorInfo,
  b: number,
  target: TensorInfo,
  g: { ho: number; wo: number; W: number; co: number; kc: number; len: number },
): void {
  const heap = backend.wasm.HEAPF32;
  const t0 = byteOffset(backend, target) >>> 2;
  const total = target.shape[0];
  heap.fill(0, t0, t0 + total);
  const d0 = (byteOffset(backend, dy) >>> 2) + b * g.ho * g.wo * g.co;
  for (let y = 0; y < g.ho; y++) {
    let q = y * g.W;
    let from = d0 + y * g.wo * g.co;
    let remaining = g.wo;
    while (remaining > 0) {
      const j = Math.floor(q / g.kc);
      const k = q - j * g.kc;
      const count = Math.min(remaining, g.kc - k);
      const to = t0 + (j * g.len + k) * g.co;
      heap.copyWithin(to, from, from + count * g.co);
      q += count;
      from += count * g.co;
      remaining -= count;
    }
  }
}

function strideEqualsKernel(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { filterHeight: kh, filterWidth: kw, outHeight: ho, outWidth: wo, inChannels: ci, outChannels: co, batchSize: n } = info;
  // Rows or columns beyond the last full window do not contribute.
  const trimmed =
    x.shape[1] !== ho * kh || x.shape[2] !== wo * kw
      ? runWasmKernel('Slice', backend, { x }, { begin: [0, 0, 0, 0], size: [n, ho * kh, wo * kw, ci] } as never)
      : null;
  const xs = trimmed ?? x;
  const rows = kh * kw * ci;
  const p = n * ho * wo;
  const xt = backend.makeOutput([rows, p], 'float32');
  const out = backend.makeOutput([kh, kw, ci, co], 'float32');
  try {
    // [n*ho, kh, wo, kw*ci] -> [kh, kw*ci, n*ho, wo]: rows in HWI order, columns in dy's pixel order.
    transposeInto(backend, tensorId(backend, xs), [n * ho, kh, wo, kw * ci], [1, 3, 0, 2], tensorId(backend, xt));
    gemm(backend, tensorId(backend, xt), rows, p, tensorId(backend, dy), co, tensorId(backend, out));
  } finally {
    dispose(backend, xt, trimmed);
  }
  return out;
}

function perTap(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo, pads: number[]): TensorInfo {
  const xPad = padded(backend, x, pads);
  const xp = xPad ?? x;
  const { filterHeight: kh, filterWidth: kw, outHeight: ho, outWidth: wo, inChannels: ci, outChannels: co, batchSize: n } = info;
  const { strideHeight: sh, strideWidth: sw } = info;
  const p = n * ho * wo;
  const out = backend.makeOutput([kh, kw, ci, co], 'float32');
  try {
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++) {
        const slice = runWasmKernel('StridedSlice', backend, { x: xp }, {
          begin: [0, ky, kx, 0],
          end: [n, ky + (ho - 1) * sh + 1, kx + (wo - 1) * sw + 1, ci],
          strides: [1, sh, sw, 1],
          beginMask: 0,
          endMask: 0,
          ellipsisMask: 0,
          newAxisMask: 0,
          shrinkAxisMask: 0,
        } as never);
        const st = backend.makeOutput([ci, p], 'float32');
        transposeInto(backend, tensorId(backend, slice), [p, ci], [1, 0], tensorId(backend, st));
        const o = makeView(backend, byteOffset(backend, out) + (ky * kw + kx) * ci * co * 4, [ci, co]);
        gemm(backend, tensorId(backend, st), ci, p, tensorId(backend, dy), co, o.id);
        releaseView(backend, o);
        dispose(backend, slice, st);
      }
    }
  } finally {
    dispose(backend, xPad);
  }
  return out;
}

function addInto(target: Float32Array, source: Float32Array): void {
  for (let i = 0; i < target.length; i++) target[i] += source[i];
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
