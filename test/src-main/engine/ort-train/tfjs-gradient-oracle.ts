// The tfjs cpu backend's gradients of a U-Net, computed in a child process so that a long synchronous
// computation does not stall the test runner. Usage: tfjs-gradient-oracle.ts CASE_JSON OUT_FILE
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { BATCH_NORM_EPSILON } from '../../../../src-main/engine/ort-train/unet-forward';
import { tfjsBatchNormGradients, tfjsGradients, type GradientCase } from './gradient-case';

const [caseJson, outFile] = process.argv.slice(2);
tf.env().set('PROD', true);
await tf.setBackend('cpu');
const gradientCase = JSON.parse(caseJson) as GradientCase;
const result = gradientCase.batchNorm ? tfjsBatchNormGradients(gradientCase, BATCH_NORM_EPSILON) : tfjsGradients(gradientCase);
const sizes = result.grads.map((g) => g.length);
const floats = new Float32Array(sizes.reduce((a, b) => a + b, 0) * 2);
let offset = 0;
for (const list of [result.params, result.grads]) {
  for (const a of list) {
    floats.set(a, offset);
    offset += a.length;
  }
}
writeFileSync(outFile, JSON.stringify({ loss: result.loss, names: result.names, sizes, data: Buffer.from(floats.buffer).toString('base64') }));
