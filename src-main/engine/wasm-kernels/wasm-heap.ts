import { getKernel, type DataId, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';

/**
 * The parts of the wasm backend that composed kernels need: its heap, its tensor registry and the
 * exported C kernels. The backend's TypeScript types keep these internal, so they are declared here.
 */
export interface WasmModule {
  HEAPU8: Uint8Array;
  HEAPF32: Float32Array;
  cwrap(name: string, ret: null, args: string[]): (...args: unknown[]) => void;
  tfjs: {
    registerTensor(id: number, size: number, memoryOffset: number): void;
    disposeData(id: number): void;
  };
}

interface TensorData {
  id: number;
  memoryOffset: number;
  shape: number[];
  dtype: string;
  refCount: number;
}

export interface WasmBackend {
  wasm: WasmModule;
  dataIdMap: { get(dataId: DataId): TensorData; set(dataId: DataId, data: TensorData): void; delete(dataId: DataId): boolean };
  makeOutput(shape: number[], dtype: 'float32', memoryOffset?: number): TensorInfo;
  disposeData(dataId: DataId, force?: boolean): boolean;
}

export function asWasmBackend(backend: unknown): WasmBackend {
  return backend as WasmBackend;
}

export function tensorId(backend: WasmBackend, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId).id;
}

export function byteOffset(backend: WasmBackend, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId).memoryOffset;
}

/** A float32 window on the heap; re-read after any allocation, since the heap may have grown. */
export function heapF32(backend: WasmBackend, t: TensorInfo, extra = 0): Float32Array {
  const size = t.shape.reduce((a, b) => a * b, 1) + extra;
  return new Float32Array(backend.wasm.HEAPU8.buffer, byteOffset(backend, t), size);
}

let nextViewId = 1 << 30;

/**
 * A tensor id that points into memory owned by another tensor (no copy). Views must be released with
 * `releaseView`, never `disposeData`, which would free the owner's memory.
 */
export interface HeapView {
  id: number;
  byteOffset: number;
  shape: number[];
}

export function makeView(backend: WasmBackend, byteOffsetValue: number, shape: number[]): HeapView {
  const id = nextViewId++;
  backend.wasm.tfjs.registerTensor(id, shape.reduce((a, b) => a * b, 1), byteOffsetValue);
  return { id, byteOffset: byteOffsetValue, shape };
}

export function releaseView(backend: WasmBackend, view: HeapView): void {
  backend.wasm.tfjs.disposeData(view.id);
}

export function dispose(backend: WasmBackend, ...tensors: Array<TensorInfo | null | undefined>): void {
  for (const t of tensors) if (t) backend.disposeData(t.dataId);
}

/** Calls another registered wasm kernel directly (no engine bookkeeping; outputs must be disposed). */
export function runWasmKernel(name: string, backend: WasmBackend, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap = {}): TensorInfo {
  const kernel = getKernel(name, 'wasm');
  if (!kernel) throw new Error(`wasm kernel ${name} is not registered`);
  return (kernel.kernelFunc as KernelFunc)({ inputs, backend: backend as never, attrs }) as TensorInfo;
}

type Fn = (...args: unknown[]) => void;
const wrapped = new WeakMap<WasmModule, Record<string, Fn>>();

function cwrapped(backend: WasmBackend, name: string, args: string[]): Fn {
  let table = wrapped.get(backend.wasm);
  if (!table) {
    table = {};
    wrapped.set(backend.wasm, table);
  }
  if (!table[name]) table[name] = backend.wasm.cwrap(name, null, args);
  return table[name];
}

const int32Bytes = (values: number[]) => new Uint8Array(new Int32Array(values).buffer);

/**
 * out[1, M, N] = a[1, M, K] x b[1, K, N] with XNNPACK's fully-connected path (no transposes). The packed
 * form of `b` is cached by XNNPACK under b's id until b is disposed, so repeated calls with the same b
 * pack it once.
 */
export function gemm(backend: WasmBackend, aId: number, m: number, k: number, bId: number, n: number, outId: number): void {
  const fn = cwrapped(backend, 'BatchMatMul', ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number']);
  fn(aId, int32Bytes([1, m, k]), 3, bId, int32Bytes([1, k, n]), 3, 0, 0, outId);
}

/** Transposes the float32 tensor `xId` of `shape` by `perm` into the (pre-registered) tensor `outId`. */
export function transposeInto(backend: WasmBackend, xId: number, shape: number[], perm: number[], outId: number): void {
  const fn = cwrapped(backend, 'Transpose', ['number', 'array', 'number', 'number', 'number', 'array', 'number']);
  const float32 = 0; // CppDType.float32
  fn(xId, int32Bytes(shape), shape.length, float32, outId, int32Bytes(perm), perm.length);
}
