import { UnetError } from '../../../src-shared/contract/errors';
import { DEFAULT_GRAPH_STYLE, type UnetGraphStyle } from './unet-onnx-graph';

interface LayerJson {
  class_name?: string;
  name?: string;
  config?: { name?: string; activation?: string };
  inbound_nodes?: unknown;
}

function layersOf(topology: unknown): LayerJson[] | undefined {
  const t = topology as { config?: { layers?: unknown }; model_config?: { config?: { layers?: unknown } } } | undefined;
  const layers = t?.config?.layers ?? t?.model_config?.config?.layers;
  return Array.isArray(layers) ? (layers as LayerJson[]) : undefined;
}

function inboundNames(layer: LayerJson): string[] {
  const nodes = layer.inbound_nodes;
  if (!Array.isArray(nodes) || !Array.isArray(nodes[0])) return [];
  return (nodes[0] as unknown[]).map((entry) => (Array.isArray(entry) && typeof entry[0] === 'string' ? entry[0] : '')).filter(Boolean);
}

/**
 * Reads from the saved tfjs topology what the layer names leave open: the order of the decoder concatenation
 * and the activation of the up-convolutions. The export must reproduce the trained graph exactly, so anything
 * that contradicts the supported U-Net (a softmax on the output layer, levels that disagree) is refused.
 */
export function graphStyleFromTopology(topology: unknown, depth: number): UnetGraphStyle {
  const layers = layersOf(topology);
  if (!layers) return DEFAULT_GRAPH_STYLE;
  const byName = new Map(layers.map((l) => [l.config?.name ?? l.name ?? '', l]));
  const output = byName.get('output');
  const outAct = output?.config?.activation;
  if (outAct !== undefined && outAct !== 'linear') {
    throw new UnetError('UNSUPPORTED', `the output layer has activation "${outAct}"; the export expects logits (linear)`);
  }
  let style: UnetGraphStyle | undefined;
  for (let level = 1; level <= depth; level++) {
    const up = byName.get(`dec${level}_up`);
    const concat = layers.find((l) => l.class_name === 'Concatenate' && inboundNames(l).some((n) => n === `dec${level}_up`));
    if (!up || !concat) return DEFAULT_GRAPH_STYLE;
    const act = up.config?.activation ?? 'linear';
    if (act !== 'linear' && act !== 'relu') throw new UnetError('UNSUPPORTED', `dec${level}_up has activation "${act}"; only linear or relu export`);
    const order: UnetGraphStyle['concatOrder'] = inboundNames(concat)[0] === `dec${level}_up` ? 'up-first' : 'skip-first';
    const levelStyle: UnetGraphStyle = { concatOrder: order, upActivation: act };
    if (style && (style.concatOrder !== levelStyle.concatOrder || style.upActivation !== levelStyle.upActivation)) {
      throw new UnetError('UNSUPPORTED', 'decoder levels differ in concatenation order or activation; the export expects one style');
    }
    style = levelStyle;
  }
  return style ?? DEFAULT_GRAPH_STYLE;
}
