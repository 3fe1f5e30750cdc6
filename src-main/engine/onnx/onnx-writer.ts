import { UnetError } from '../../../src-shared/contract/errors';
import { ATTR_FLOAT, ATTR_INT, ATTR_INTS, modelProtoType, ONNX_FLOAT, ONNX_INT64 } from './onnx-proto';

/** An initializer: float weights or int64 constants (Slice starts/ends), stored as little-endian raw data. */
export interface OnnxTensor {
  name: string;
  dims: number[];
  data: Float32Array | BigInt64Array;
}

export type OnnxAttribute =
  | { kind: 'int'; value: number }
  | { kind: 'ints'; value: number[] }
  | { kind: 'float'; value: number };

export interface OnnxNode {
  opType: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, OnnxAttribute>;
}

/** A float tensor graph input or output; a string dimension is symbolic (dynamic). */
export interface OnnxValueInfo {
  name: string;
  dims: Array<number | string>;
  docString?: string;
}

export interface OnnxModel {
  graphName: string;
  /** Default-domain opset; 13..17 covers every operator used here with its current semantics. */
  opset: number;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  initializers: OnnxTensor[];
  nodes: OnnxNode[];
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  metadata?: Record<string, string>;
}

/** IR version 8 is what opsets 15-17 were released with; runtimes since 2021 read it. */
const IR_VERSION = 8;

export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  if (!Number.isInteger(model.opset) || model.opset < 13 || model.opset > 17) {
    throw new UnetError('INVALID_ARGUMENT', `ONNX opset must be 13..17, got ${model.opset}`);
  }
  checkGraph(model);
  const type = modelProtoType();
  const message = {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: model.opset }],
    producerName: model.producerName ?? 'U-Net Studio',
    producerVersion: model.producerVersion ?? '',
    docString: model.docString ?? '',
    graph: {
      name: model.graphName,
      node: model.nodes.map(nodeMessage),
      initializer: model.initializers.map(tensorMessage),
      input: model.inputs.map(valueInfoMessage),
      output: model.outputs.map(valueInfoMessage),
    },
    metadataProps: Object.entries(model.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
  return type.encode(type.fromObject(message)).finish();
}

/** Every node input must be produced earlier (graph input, initializer or node output): ONNX wants topological order. */
function checkGraph(model: OnnxModel): void {
  const known = new Set<string>([...model.inputs.map((v) => v.name), ...model.initializers.map((t) => t.name)]);
  for (const node of model.nodes) {
    for (const input of node.inputs) {
      if (input !== '' && !known.has(input)) {
        throw new UnetError('INTERNAL', `ONNX node ${node.name} reads ${input} before it is defined`);
      }
    }
    for (const output of node.outputs) {
      if (known.has(output)) throw new UnetError('INTERNAL', `ONNX value ${output} is defined twice`);
      known.add(output);
    }
  }
  for (const output of model.outputs) {
    if (!known.has(output.name)) throw new UnetError('INTERNAL', `ONNX graph output ${output.name} is never produced`);
  }
}

function nodeMessage(node: OnnxNode) {
  return {
    name: node.name,
    opType: node.opType,
    input: node.inputs,
    output: node.outputs,
    attribute: Object.entries(node.attributes ?? {}).map(([name, attr]) => {
      switch (attr.kind) {
        case 'int':
          return { name, type: ATTR_INT, i: attr.value };
        case 'ints':
          return { name, type: ATTR_INTS, ints: attr.value };
        case 'float':
          return { name, type: ATTR_FLOAT, f: attr.value };
      }
    }),
  };
}

function tensorMessage(tensor: OnnxTensor) {
  const count = tensor.dims.reduce((a, b) => a * b, 1);
  if (count !== tensor.data.length) {
    throw new UnetError('INTERNAL', `initializer ${tensor.name}: dims ${tensor.dims.join('x')} hold ${count} values, data has ${tensor.data.length}`);
  }
  const isFloat = tensor.data instanceof Float32Array;
  return {
    name: tensor.name,
    dims: tensor.dims,
    dataType: isFloat ? ONNX_FLOAT : ONNX_INT64,
    rawData: littleEndianBytes(tensor.data),
  };
}

function valueInfoMessage(info: OnnxValueInfo) {
  return {
    name: info.name,
    docString: info.docString ?? '',
    type: {
      tensorType: {
        elemType: ONNX_FLOAT,
        shape: { dim: info.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** ONNX raw_data is little-endian whatever the host; copy so the buffer does not alias caller memory. */
function littleEndianBytes(data: Float32Array | BigInt64Array): Uint8Array {
  const bytes = new Uint8Array(data.byteLength);
  if (HOST_IS_LITTLE_ENDIAN) {
    bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return bytes;
  }
  const view = new DataView(bytes.buffer);
  if (data instanceof Float32Array) data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  else data.forEach((v, i) => view.setBigInt64(i * 8, v, true));
  return bytes;
}
