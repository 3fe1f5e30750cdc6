import {
  backend_util,
  Identity,
  MaxPoolGrad,
  Slice,
  slice_util,
  SplitV,
  Sum,
  util,
  type KernelConfig,
  type KernelFunc,
  type MaxPoolGradAttrs,
  type SliceAttrs,
  type SplitVAttrs,
  type SumAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { asWasmBackend, byteOffset, type WasmBackend } from './wasm-heap';

/**
 * Memory-bound kernels of the backward pass, written as plain loops and memmoves on the wasm heap. The
 * shipped versions index every element through generic N-d strides (or transpose first) and were 2-30x
 * slower on U-Net shapes: crops, the split of a concatenation's gradient, the 2x2 max-pool gradient,
 * and the per-channel sums of bias gradients.
 */

type Fallback = KernelConfig | undefined;

function withFallback(shipped: Fallback): (args: unknown) => TensorInfo | TensorInfo[] {
  let setUp = false;
  return (args) => {
    if (!shipped) throw new Error('no shipped wasm kernel for this case');
    if (!setUp) {
      shipped.setupFunc?.((args as { backend: unknown }).backend as never);
      setUp = true;
    }
    return shipped.kernelFunc(args as never) as TensorInfo | TensorInfo[];
  };
}

/** Copies the box [begin, begin + size) of a float32 tensor into a new tensor. */
function copyBox(backend: WasmBackend, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  const out = backend.makeOutput(size, 'float32');
  const rank = x.shape.length;
  const total = util.sizeFromShape(size);
  if (total === 0) return out;
  const strides = util.computeStrides(x.shape);
  // Merge the trailing dimensions taken whole into one contiguous run.
  let inner = rank - 1;
  let run = size[rank - 1];
  while (inner > 0 && size[inner] === x.shape[inner]) {
    inner--;
    run *= size[inner];
  }
  const heap = backend.wasm.HEAPF32;
  const src0 = byteOffset(backend, x) >>> 2;
  const dst0 = byteOffset(backend, out) >>> 2;
  let srcBase = src0;
  for (let d = 0; d < rank; d++) srcBase += begin[d] * (d < rank - 1 ? strides[d] : 1);
  const outer = size.slice(0, inner);
  const outerCount = util.sizeFromShape(outer);
  const index = new Array(inner).fill(0);
  let dst = dst0;
  for (let o = 0; o < outerCount; o++) {
    let src = srcBase;
    for (let d = 0; d < inner; d++) src += index[d] * strides[d];
    if (run >= 32) heap.copyWithin(dst, src, src + run);
    else for (let i = 0; i < run; i++) heap[dst + i] = heap[src + i];
    dst += run;
    for (let d = inner - 1; d >= 0; d--) {
      if (++index[d] < outer[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

export function createSliceConfig(shipped: Fallback): KernelConfig {
  const fallback = withFallback(shipped);
  const kernelFunc = (args: { inputs: { x: TensorInfo }; backend: unknown; attrs: SliceAttrs }) => {
    const { x } = args.inputs;
    if (x.dtype !== 'float32') return fallback(args);
    const [begin, size] = slice_util.parseSliceParams(x as never, args.attrs.begin, args.attrs.size);
    slice_util.assertParamsValid(x as never, begin, size);
    return copyBox(asWasmBackend(args.backend), x, begin, size);
  };
  return { kernelName: Slice, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}

export function createSplitVConfig(shipped: Fallback): KernelConfig {
  const fallback = withFallback(shipped);
  const kernelFunc = (args: { inputs: { x: TensorInfo }; backend: unknown; attrs: SplitVAttrs }) => {
    const { x } = args.inputs;
    if (x.dtype !== 'float32') return fallback(args);
    const backend = asWasmBackend(args.backend);
    const axis = util.parseAxisParam(args.attrs.axis, x.shape)[0];
    const sizes = backend_util.prepareSplitSize(x as never, args.attrs.numOrSizeSplits, axis);
    const begin = new Array(x.shape.length).fill(0);
    return sizes.map((s) => {
      const size = x.shape.slice();
      size[axis] = s;
      const part = copyBox(backend, x, begin, size);
      begin[axis] += s;
      return part;
    });
  };
  return { kernelName: SplitV, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}

/**
 * Gradient of a max-pool whose windows do not overlap (stride = window, no padding; the U-Net's 2x2/2):
 * each window's gradient goes to the first position holding the maximum (ties only occur among ReLU
 * zeros, whose gradient the ReLU blocks anyway).
 */
export function createMaxPoolGradConfig(shipped: Fallback): KernelConfig {
  const fallback = withFallback(shipped);
  const kernelFunc = (args: { inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo }; backend: unknown; attrs: MaxPoolGradAttrs }) => {
    const { dy, input, output } = args.inputs;
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs;
    const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw } = info;
    const { top, left } = info.padInfo;
    if (input.dtype !== 'float32' || fh !== sh || fw !== sw || top !== 0 || left !== 0 || info.dataFormat !== 'channelsLast') {
      return fallback(args);
    }
    const backend = asWasmBackend(args.backend);
    const dx = backend.makeOutput(input.shape, 'float32');
    const [n, H, W, C] = input.shape;
    const { outHeight: ho, outWidth: wo } = info;
    const heap = backend.wasm.HEAPF32;
    const xo = byteOffset(backend, input) >>> 2;
    const yo = byteOffset(backend, output) >>> 2;
    const go = byteOffset(backend, dy) >>> 2;
    const dxo = byteOffset(backend, dx) >>> 2;
    heap.fill(0, dxo, dxo + n * H * W * C);
    if (fh === 2 && fw === 2) {
      maxPoolGrad2x2(heap, { xo, yo, go, dxo }, n, H, W, C, ho, wo);
      return dx;
    }
    for (let b = 0; b < n; b++) {
      for (let oy = 0; oy < ho; oy++) {
        for (let ox = 0; ox < wo; ox++) {
          const o = ((b * ho + oy) * wo + ox) * C;
          const corner = ((b * H + oy * sh) * W + ox * sw) * C;
          for (let c = 0; c < C; c++) {
            const m = heap[yo + o + c];
            let found = -1;
            for (let ky = 0; ky < fh && found < 0; ky++) {
              for (let kx = 0; kx < fw; kx++) {
                const p = corner + (ky * W + kx) * C + c;
                if (heap[xo + p] === m) {
                  found = p;
                  break;
                }
              }
            }
            // NaN never equals itself: give such a window's gradient to its first position.
            heap[dxo + (found >= 0 ? found : corner + c)] = heap[go + o + c];
          }
        }
      }
    }
    return dx;
  };
  return { kernelName: MaxPoolGrad, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}

/** The 2x2 case unrolled (the U-Net's pools): about twice as fast as the general loop. */
function maxPoolGrad2x2(
  heap: Float32Array,
  o: { xo: number; yo: number; go: number; dxo: number },
  n: number,
  H: number,
  W: number,
  C: number,
  ho: number,
  wo: number,
): void {
  const row = W * C;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++) {
        const out = ((b * ho + oy) * wo + ox) * C;
        const p00 = ((b * H + 2 * oy) * W + 2 * ox) * C;
        for (let c = 0; c < C; c++) {
          const m = heap[o.yo + out + c];
          const a = p00 + c;
          const target = heap[o.xo + a] === m ? a : heap[o.xo + a + C] === m ? a + C : heap[o.xo + a + row] === m ? a + row : heap[o.xo + a + row + C] === m ? a + row + C : a;
          heap[o.dxo + target] = heap[o.go + out + c];
        }
      }
    }
  }
}

/**
 * Sum over every axis but the last (a bias gradient: [n, h, w, c] -> [c]) as one pass with a float64
 * accumulator per channel; the shipped kernel transposes the whole tensor first. Other reductions use
 * the shipped kernel.
 */
export function createSumConfig(shipped: Fallback): KernelConfig {
  const fallback = withFallback(shipped);
  const kernelFunc = (args: { inputs: { x: TensorInfo }; backend: unknown; attrs: SumAttrs }) => {
    const { x } = args.inputs;
    const rank = x.shape.length;
    const axes = util.parseAxisParam(args.attrs.axis, x.shape).sort((a, b) => a - b);
    const leading = rank >= 2 && axes.length === rank - 1 && axes.every((a, i) => a === i);
    if (x.dtype !== 'float32' || !leading) return fallback(args);
    const backend = asWasmBackend(args.backend);
    const channels = x.shape[rank - 1];
    const pixels = util.sizeFromShape(x.shape) / channels;
    const outShape = args.attrs.keepDims ? [...new Array(rank - 1).fill(1), channels] : [channels];
    const out = backend.makeOutput(outShape, 'float32');
    const acc = new Float64Array(channels);
    const heap = backend.wasm.HEAPF32;
    const x0 = byteOffset(backend, x) >>> 2;
    for (let p = 0; p < pixels; p++) {
      const base = x0 + p * channels;
      for (let c = 0; c < channels; c++) acc[c] += heap[base + c];
    }
    const o0 = byteOffset(backend, out) >>> 2;
    for (let c = 0; c < channels; c++) heap[o0 + c] = acc[c];
    return out;
  };
  return { kernelName: Sum, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}

/**
 * Identity without a copy: the output shares the input's memory (reference counted), as on the cpu and
 * webgl backends. The engine clones every tensor it saves for the backward pass through this kernel; the
 * shipped wasm version copies, which doubled the activations kept during a training step.
 */
export function createIdentityConfig(): KernelConfig {
  const kernelFunc = (args: { inputs: { x: TensorInfo }; backend: unknown }) => {
    const { x } = args.inputs;
    const backend = args.backend as { incRef(dataId: unknown): void };
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return { kernelName: Identity, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
