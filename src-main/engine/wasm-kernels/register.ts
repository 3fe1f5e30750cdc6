import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { createConv2DBackpropInputConfig } from './conv2d-backprop-input';
import { createIdentityConfig, createMaxPoolGradConfig, createSliceConfig, createSplitVConfig, createSumConfig } from './heap-kernels';

let registered = false;

function replace(name: string, make: (shipped: KernelConfig | undefined) => KernelConfig): void {
  const shipped = getKernel(name, 'wasm');
  if (shipped) unregisterKernel(name, 'wasm');
  registerKernel(make(shipped));
}

/**
 * Makes the wasm backend able to train a U-Net, and fast at it: adds Conv2DBackpropFilter (missing as
 * shipped), replaces Conv2DBackpropInput with XNNPACK-based versions for the cases a U-Net uses, and
 * replaces Slice, SplitV, MaxPoolGrad and Sum (over all but the last axis) with heap loops and Identity
 * with a shared reference instead of a copy. The shipped kernels stay as the fallback for
 * the cases not handled here. Safe to call more than once.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  replace('Conv2DBackpropFilter', () => conv2DBackpropFilterConfig);
  replace('Conv2DBackpropInput', createConv2DBackpropInputConfig);
  replace('Slice', createSliceConfig);
  replace('SplitV', createSplitVConfig);
  replace('MaxPoolGrad', createMaxPoolGradConfig);
  replace('Sum', createSumConfig);
  replace('Identity', createIdentityConfig);
  registered = true;
}
