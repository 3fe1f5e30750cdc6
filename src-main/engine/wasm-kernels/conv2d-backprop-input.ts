import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { asWasmBackend, byteOffset, dispose, gemm, makeView, releaseView, runWasmKernel, tensorId, transposeInto, type WasmBackend } from './wasm-heap';

type Args = { inputs: { dy: TensorInfo; filter: TensorInfo }; backend: unknown; attrs: Conv2DBackpropInputAttrs };

/**
 * The input gradient (also the forward pass of Conv2DTranspose). The shipped wasm kernel is a plain loop
 * (a few GFLOP/s); these two cases go through XNNPACK instead, anything else uses the shipped kernel:
 *
 * - stride 1: a forward convolution of dy with the spatially flipped, in/out-swapped filter and the
 *   complementary padding (kernel - 1 - pad);
 * - stride == kernel, no padding (the 2x2 up-convolution): every output pixel gets exactly one tap, so
 *   dx is one GEMM [pixels, co] x [co, kh*kw*ci] followed by a pixel shuffle (a 4-D transpose).
 */
export function createConv2DBackpropInputConfig(shipped: KernelConfig | undefined): KernelConfig {
  // The shipped kernel binds its C function in setupFunc, which ran (if at all) for the replaced registration.
  let setUp = false;
  const kernelFunc = (args: Args): TensorInfo => {
    const backend = asWasmBackend(args.backend);
    const { dy, filter } = args.inputs;
    const { inputShape, strides, pad, dataFormat, dimRoundingMode } = args.attrs;
    const usable = dataFormat === 'NHWC' && dy.dtype === 'float32' && filter.dtype === 'float32';
    if (usable) {
      const info = backend_util.computeConv2DInfo(
        inputShape,
        filter.shape as [number, number, number, number],
        strides,
        1,
        pad,
        dimRoundingMode,
        false,
        'channelsLast',
      );
      const result =
        info.strideHeight === 1 && info.strideWidth === 1
          ? viaForwardConv(backend, dy, filter, info)
          : info.strideHeight === info.filterHeight && info.strideWidth === info.filterWidth
            ? viaPixelShuffle(backend, dy, filter, info)
            : null;
      if (result) return result;
    }
    if (!shipped) throw new Error('no wasm Conv2DBackpropInput kernel for this case');
    if (!setUp) {
      shipped.setupFunc?.(args.backend as never);
      setUp = true;
    }
    return shipped.kernelFunc(args as never) as TensorInfo;
  };
  return { kernelName: Conv2DBackpropInput, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}

function viaForwardConv(backend: WasmBackend, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo | null {
  const { filterHeight: kh, filterWidth: kw } = info;
  const { top, bottom, left, right } = info.padInfo;
  const pads = [kh - 1 - top, kh - 1 - bottom, kw - 1 - left, kw - 1 - right];
  if (pads.some((p) => p < 0)) return null;
  const flipped = flipFilter(backend, filter);
  try {
    const out = runWasmKernel('Conv2D', backend, { x: dy, filter: flipped }, {
      strides: [1, 1],
      pad: [[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]],
      dataFormat: 'NHWC',
      dilations: [1, 1],
      dimRoundingMode: undefined,
    } as never);
    if (out.shape.some((d, i) => d !== info.inShape[i])) {
      dispose(backend, out);
      return null;
    }
    return out;
  } finally {
    dispose(backend, flipped);
  }
}

/** W[ky, kx, ci, co] -> W'[kh-1-ky, kw-1-kx, co, ci]: one 2-D transpose per tap, written in reversed tap order. */
function flipFilter(backend: WasmBackend, filter: TensorInfo): TensorInfo {
  const [kh, kw, ci, co] = filter.shape;
  const taps = kh * kw;
  const out = backend.makeOutput([kh, kw, co, ci], 'float32');
  const tapBytes = ci * co * 4;
  for (let t = 0; t < taps; t++) {
    const src = makeView(backend, byteOffset(backend, filter) + t * tapBytes, [ci, co]);
    const dst = makeView(backend, byteOffset(backend, out) + (taps - 1 - t) * tapBytes, [co, ci]);
    transposeInto(backend, src.id, [ci, co], [1, 0], dst.id);
    releaseView(backend, src);
    releaseView(backend, dst);
  }
  return out;
}

function viaPixelShuffle(backend: WasmBackend, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo | null {
  const { filterHeight: kh, filterWidth: kw, inChannels: ci, outChannels: co, outHeight: ho, outWidth: wo, batchSize: n } = info;
  const { top, bottom, left, right } = info.padInfo;
  if (top !== 0 || left !== 0 || bottom !== 0 || right !== 0) return null;
  const [, H, W] = info.inShape;
  if (H < ho * kh || W < wo * kw) return null;
  const cols = kh * kw * ci;
  // [kh*kw*ci, co] -> [co, kh*kw*ci]
  const wt = backend.makeOutput([co, cols], 'float32');
  const prod = backend.makeOutput([n * ho * wo, cols], 'float32');
  const exact = H === ho * kh && W === wo * kw;
  const shuffled = backend.makeOutput([n, ho * kh, wo * kw, ci], 'float32');
  try {
    transposeInto(backend, tensorId(backend, filter), [cols, co], [1, 0], tensorId(backend, wt));
    gemm(backend, tensorId(backend, dy), n * ho * wo, co, tensorId(backend, wt), cols, tensorId(backend, prod));
    // [n*ho, wo, kh, kw*ci] -> [n*ho, kh, wo, kw*ci] = [n, ho*kh, wo*kw, ci]. (The shipped DepthToSpace
    // kernel does the same but is ~10x slower than this transpose.)
    transposeInto(backend, tensorId(backend, prod), [n * ho, wo, kh, kw * ci], [0, 2, 1, 3], tensorId(backend, shuffled));
    if (exact) return shuffled;
    // Input rows/columns past the last window received no gradient.
    return runWasmKernel('PadV2', backend, { x: shuffled }, { paddings: [[0, 0], [0, H - ho * kh], [0, W - wo * kw], [0, 0]], constantValue: 0 } as never);
  } finally {
    dispose(backend, wt, prod, exact ? null : shuffled);
  }
}
