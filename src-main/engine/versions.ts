import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { version_wasm } from '@tensorflow/tfjs-backend-wasm';
import { packageInfo } from '../support/app-info';

/** Versions recorded with every model, so a result can be traced to the software that made it. */
export function softwareVersions(): Record<string, string> {
  return {
    app: packageInfo().version,
    'tfjs-core': tf.version_core,
    'tfjs-layers': tfl.version_layers,
    'tfjs-backend-wasm': version_wasm,
    node: process.versions.node,
    ...(process.versions.electron ? { electron: process.versions.electron } : {}),
  };
}
