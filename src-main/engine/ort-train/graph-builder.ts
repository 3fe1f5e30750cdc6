import type { OnnxAttribute, OnnxModel, OnnxNode, OnnxTensor, OnnxValueInfo } from '../onnx/onnx-writer';

type Attributes = Record<string, OnnxAttribute>;

export const ints = (value: number[]): OnnxAttribute => ({ kind: 'ints', value });
export const int = (value: number): OnnxAttribute => ({ kind: 'int', value });

/**
 * Collects the nodes, constants and graph inputs/outputs of one ONNX graph. Every node output gets a
 * unique name from the node's name, and constants with the same values are stored once.
 */
export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  readonly inputs: OnnxValueInfo[] = [];
  readonly outputs: OnnxValueInfo[] = [];
  private readonly used = new Set<string>();
  private readonly constants = new Map<string, string>();

  input(name: string, dims: number[], docString?: string): string {
    this.claim(name);
    this.inputs.push({ name, dims, ...(docString ? { docString } : {}) });
    return name;
  }

  /** Declares `value` a graph output under `name` (an Identity when the value already has another name). */
  output(value: string, name: string, dims: number[]): void {
    if (value !== name) this.nodes.push({ opType: 'Identity', name: `${name}_identity`, inputs: [value], outputs: [this.claim(name)] });
    this.outputs.push({ name, dims });
  }

  /** One node with one output; returns the output's name. */
  op(opType: string, name: string, inputs: string[], attributes?: Attributes): string {
    return this.opN(opType, name, inputs, 1, attributes)[0];
  }

  opN(opType: string, name: string, inputs: string[], outputs: number, attributes?: Attributes): string[] {
    const base = this.unique(name);
    if (outputs !== 1) this.used.add(base);
    const names = Array.from({ length: outputs }, (_, i) => this.claim(outputs === 1 ? base : `${base}_${i}`));
    this.nodes.push({ opType, name: base, inputs, outputs: names, ...(attributes ? { attributes } : {}) });
    return names;
  }

  /** An int64 vector constant (shapes, axes, slice bounds, pads). */
  int64(values: number[]): string {
    const key = `i64:${values.join(',')}`;
    let name = this.constants.get(key);
    if (!name) {
      name = this.claim(`const_i64_${this.constants.size}`);
      this.initializers.push({ name, dims: [values.length], data: BigInt64Array.from(values.map((v) => BigInt(v))) });
      this.constants.set(key, name);
    }
    return name;
  }

  /** A float scalar constant (rank 0, broadcasts against anything). */
  scalar(value: number): string {
    const key = `f32:${value}`;
    let name = this.constants.get(key);
    if (!name) {
      name = this.claim(`const_f32_${this.constants.size}`);
      this.initializers.push({ name, dims: [], data: new Float32Array([value]) });
      this.constants.set(key, name);
    }
    return name;
  }

  model(graphName: string, docString: string): OnnxModel {
    return {
      graphName,
      opset: 17,
      inputs: this.inputs,
      outputs: this.outputs,
      initializers: this.initializers,
      nodes: this.nodes,
      docString,
    };
  }

  private unique(name: string): string {
    let candidate = name;
    for (let i = 1; this.used.has(candidate); i++) candidate = `${name}_${i}`;
    return candidate;
  }

  private claim(name: string): string {
    if (this.used.has(name)) throw new Error(`ONNX value ${name} is defined twice`);
    this.used.add(name);
    return name;
  }
}
