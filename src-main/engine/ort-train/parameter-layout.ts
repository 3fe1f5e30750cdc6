import { hwioToOihw, oihwToHwio, onnxToTransposedKernel, transposedKernelToOnnx } from '../onnx/weight-layout';
import type { UnetParameter } from './unet-parameters';

/** A parameter's values from the tfjs layout (model folders, checkpoints) to the ONNX layout, in a new array. */
export function toOnnxLayout(p: UnetParameter, tfjs: Float32Array): Float32Array {
  if (p.role === 'bias') return tfjs.slice();
  return p.layer.kind === 'upconv2x2' ? transposedKernelToOnnx(tfjs, p.tfjsShape).data : hwioToOihw(tfjs, p.tfjsShape).data;
}

/** A parameter's values from the ONNX layout back to the tfjs layout, in a new array. */
export function toTfjsLayout(p: UnetParameter, onnx: Float32Array): Float32Array {
  if (p.role === 'bias') return onnx.slice();
  return p.layer.kind === 'upconv2x2' ? onnxToTransposedKernel(onnx, p.dims).data : oihwToHwio(onnx, p.dims).data;
}
