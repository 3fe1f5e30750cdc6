import { UnetError } from '../../../src-shared/contract/errors';

/** tfjs conv kernel [kH, kW, in, out] (HWIO) -> ONNX Conv weight [out, in, kH, kW] (OIHW). */
export function hwioToOihw(data: Float32Array, shape: number[]): { dims: number[]; data: Float32Array } {
  const [kh, kw, ci, co] = checkRank4(data, shape, 'conv kernel');
  const out = new Float32Array(data.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < ci; i++) {
        const src = ((y * kw + x) * ci + i) * co;
        for (let o = 0; o < co; o++) out[((o * ci + i) * kh + y) * kw + x] = data[src + o];
      }
    }
  }
  return { dims: [co, ci, kh, kw], data: out };
}

/**
 * tfjs Conv2DTranspose kernel [kH, kW, outC, inC] -> ONNX ConvTranspose weight [inC, outC, kH, kW].
 * Both place input pixel (i, j) times W[..., ky, kx] at output (i*s + ky, j*s + kx): no spatial flip.
 */
export function transposedKernelToOnnx(data: Float32Array, shape: number[]): { dims: number[]; data: Float32Array } {
  const [kh, kw, co, ci] = checkRank4(data, shape, 'transposed conv kernel');
  const out = new Float32Array(data.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let o = 0; o < co; o++) {
        const src = ((y * kw + x) * co + o) * ci;
        for (let i = 0; i < ci; i++) out[((i * co + o) * kh + y) * kw + x] = data[src + i];
      }
    }
  }
  return { dims: [ci, co, kh, kw], data: out };
}

function checkRank4(data: Float32Array, shape: number[], what: string): [number, number, number, number] {
  if (shape.length !== 4 || shape.reduce((a, b) => a * b, 1) !== data.length) {
    throw new UnetError('CORRUPT', `${what} has shape [${shape.join(', ')}] for ${data.length} values`);
  }
  return [shape[0], shape[1], shape[2], shape[3]];
}

/** ONNX Conv weight [out, in, kH, kW] -> tfjs conv kernel [kH, kW, in, out]; the inverse of hwioToOihw. */
export function oihwToHwio(data: Float32Array, dims: number[]): { shape: number[]; data: Float32Array } {
  const [co, ci, kh, kw] = checkRank4(data, dims, 'ONNX conv weight');
  const out = new Float32Array(data.length);
  for (let o = 0; o < co; o++) {
    for (let i = 0; i < ci; i++) {
      for (let y = 0; y < kh; y++) {
        for (let x = 0; x < kw; x++) out[((y * kw + x) * ci + i) * co + o] = data[((o * ci + i) * kh + y) * kw + x];
      }
    }
  }
  return { shape: [kh, kw, ci, co], data: out };
}

/** ONNX ConvTranspose weight [inC, outC, kH, kW] -> tfjs Conv2DTranspose kernel [kH, kW, outC, inC]. */
export function onnxToTransposedKernel(data: Float32Array, dims: number[]): { shape: number[]; data: Float32Array } {
  const [ci, co, kh, kw] = checkRank4(data, dims, 'ONNX transposed conv weight');
  const out = new Float32Array(data.length);
  for (let i = 0; i < ci; i++) {
    for (let o = 0; o < co; o++) {
      for (let y = 0; y < kh; y++) {
        for (let x = 0; x < kw; x++) out[((y * kw + x) * co + o) * ci + i] = data[((i * co + o) * kh + y) * kw + x];
      }
    }
  }
  return { shape: [kh, kw, co, ci], data: out };
}
