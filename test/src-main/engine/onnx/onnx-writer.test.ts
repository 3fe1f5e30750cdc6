import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { modelProtoType } from '../../../../src-main/engine/onnx/onnx-proto';
import { encodeOnnxModel, type OnnxModel } from '../../../../src-main/engine/onnx/onnx-writer';

/** y = relu(conv1x1(x; w = 2, b = -1)) then max-pool 2x2: small enough to check by hand. */
function tinyModel(opset = 13): OnnxModel {
  return {
    graphName: 'tiny',
    opset,
    inputs: [{ name: 'x', dims: [1, 1, 'h', 'w'] }],
    outputs: [{ name: 'y', dims: [1, 1, 'h2', 'w2'] }],
    initializers: [
      { name: 'w', dims: [1, 1, 1, 1], data: new Float32Array([2]) },
      { name: 'b', dims: [1], data: new Float32Array([-1]) },
    ],
    nodes: [
      { opType: 'Conv', name: 'conv', inputs: ['x', 'w', 'b'], outputs: ['c'], attributes: { kernel_shape: { kind: 'ints', value: [1, 1] } } },
      { opType: 'Relu', name: 'relu', inputs: ['c'], outputs: ['r'] },
      {
        opType: 'MaxPool',
        name: 'pool',
        inputs: ['r'],
        outputs: ['y'],
        attributes: { kernel_shape: { kind: 'ints', value: [2, 2] }, strides: { kind: 'ints', value: [2, 2] } },
      },
    ],
    metadata: { purpose: 'test' },
  };
}

describe('ONNX writer', () => {
  it('writes a model ONNX Runtime loads and runs, with symbolic sizes', async () => {
    const bytes = encodeOnnxModel(tinyModel());
    const session = await ort.InferenceSession.create(bytes);
    try {
      for (const [h, w] of [[2, 4], [4, 2]]) {
        const x = Float32Array.from({ length: h * w }, (_, i) => i * 0.25);
        const out = await session.run({ x: new ort.Tensor('float32', x, [1, 1, h, w]) });
        const y = out.y as ort.Tensor;
        expect(y.dims).toEqual([1, 1, h / 2, w / 2]);
        // relu(2x - 1) is monotone, so each pooled value comes from the largest input of its window.
        const expected: number[] = [];
        for (let py = 0; py < h / 2; py++)
          for (let px = 0; px < w / 2; px++) {
            const m = Math.max(x[2 * py * w + 2 * px], x[2 * py * w + 2 * px + 1], x[(2 * py + 1) * w + 2 * px], x[(2 * py + 1) * w + 2 * px + 1]);
            expected.push(Math.max(0, 2 * m - 1));
          }
        expect([...(y.data as Float32Array)]).toEqual(expected);
      }
    } finally {
      await session.release();
    }
  });

  it('round-trips through the protobuf schema', () => {
    const decoded = modelProtoType().toObject(modelProtoType().decode(encodeOnnxModel(tinyModel(17))), { longs: Number }) as {
      irVersion: number;
      opsetImport: Array<{ version: number }>;
      graph: { node: Array<{ opType: string }>; input: Array<{ type: { tensorType: { shape: { dim: Array<{ dimParam?: string; dimValue?: number }> } } } }> };
      metadataProps: Array<{ key: string; value: string }>;
    };
    expect(decoded.irVersion).toBe(8);
    expect(decoded.opsetImport[0].version).toBe(17);
    expect(decoded.graph.node.map((n) => n.opType)).toEqual(['Conv', 'Relu', 'MaxPool']);
    expect(decoded.graph.input[0].type.tensorType.shape.dim.map((d) => d.dimParam ?? d.dimValue)).toEqual([1, 1, 'h', 'w']);
    expect(decoded.metadataProps).toEqual([{ key: 'purpose', value: 'test' }]);
  });

  it('refuses unsupported opsets and graphs out of order', () => {
    expect(() => encodeOnnxModel(tinyModel(12))).toThrow(/opset/);
    const model = tinyModel();
    model.nodes.reverse();
    expect(() => encodeOnnxModel(model)).toThrow(/before it is defined/);
    const bad = tinyModel();
    bad.initializers[0] = { name: 'w', dims: [2, 1, 1, 1], data: new Float32Array([2]) };
    expect(() => encodeOnnxModel(bad)).toThrow(/dims/);
  });
});
