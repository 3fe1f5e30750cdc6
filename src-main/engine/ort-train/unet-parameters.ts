import { unetLayers, type UNetArchitecture, type UNetLayerInfo } from '../unet-architecture';

/**
 * One trainable tensor of the U-Net as the ONNX Runtime engine holds it: ONNX layouts (Conv weight
 * [out, in, kh, kw]; ConvTranspose weight [in, out, 2, 2]), named `LAYER.weight` / `LAYER.bias`.
 * The order is the tfjs model's trainable-weight order (kernel, bias per layer in forward order), so
 * optimizer slots line up with the tfjs trainer's.
 */
export interface UnetParameter {
  name: string;
  layer: UNetLayerInfo;
  role: 'weight' | 'bias';
  /** Shape in ONNX layout. */
  dims: number[];
  /** Shape in the tfjs (model folder) layout. */
  tfjsShape: number[];
  size: number;
}

export function unetParameters(arch: UNetArchitecture): UnetParameter[] {
  const list: UnetParameter[] = [];
  for (const layer of unetLayers(arch)) {
    const { inChannels: i, outChannels: o } = layer;
    const [dims, tfjsShape] =
      layer.kind === 'conv3x3'
        ? [[o, i, 3, 3], [3, 3, i, o]]
        : layer.kind === 'upconv2x2'
          ? [[i, o, 2, 2], [2, 2, o, i]]
          : [[o, i, 1, 1], [1, 1, i, o]];
    list.push({ name: `${layer.name}.weight`, layer, role: 'weight', dims, tfjsShape, size: dims.reduce((a, b) => a * b, 1) });
    list.push({ name: `${layer.name}.bias`, layer, role: 'bias', dims: [o], tfjsShape: [o], size: o });
  }
  return list;
}

/** The graph input that carries a parameter, in the training and the evaluation graph alike. */
export function parameterInput(name: string): string {
  return `param:${name}`;
}
