import { describe, expect, it } from 'vitest';
import { graphStyleFromTopology } from '../../../../src-main/engine/onnx/topology-style';

/** The parts of a tfjs layers topology the style reader looks at, for a depth-2 U-Net. */
function topology(options: { upFirst?: boolean; upActivation?: string; outputActivation?: string } = {}) {
  const layers: unknown[] = [];
  for (const level of [2, 1]) {
    layers.push({ class_name: 'Conv2DTranspose', name: `dec${level}_up`, config: { name: `dec${level}_up`, activation: options.upActivation ?? 'linear' } });
    const inputs = [[`dec${level}_crop`, 0, 0, {}], [`dec${level}_up`, 0, 0, {}]];
    if (options.upFirst) inputs.reverse();
    layers.push({ class_name: 'Concatenate', name: `dec${level}_concat`, config: { name: `dec${level}_concat` }, inbound_nodes: [inputs] });
  }
  layers.push({ class_name: 'Conv2D', name: 'output', config: { name: 'output', activation: options.outputActivation ?? 'linear' } });
  return { class_name: 'Functional', config: { name: 'unet', layers } };
}

describe('graph style from the tfjs topology', () => {
  it('reads the concatenation order and the up-convolution activation', () => {
    expect(graphStyleFromTopology(topology(), 2)).toEqual({ concatOrder: 'skip-first', upActivation: 'linear' });
    expect(graphStyleFromTopology(topology({ upFirst: true, upActivation: 'relu' }), 2)).toEqual({ concatOrder: 'up-first', upActivation: 'relu' });
    // Keras files nest the config one level deeper.
    expect(graphStyleFromTopology({ model_config: topology({ upFirst: true }) }, 2).concatOrder).toBe('up-first');
  });

  it('falls back to the builder convention when there is no topology', () => {
    expect(graphStyleFromTopology(undefined, 2)).toEqual({ concatOrder: 'skip-first', upActivation: 'linear' });
  });

  it('refuses graphs it would export wrongly', () => {
    expect(() => graphStyleFromTopology(topology({ outputActivation: 'softmax' }), 2)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
    expect(() => graphStyleFromTopology(topology({ upActivation: 'tanh' }), 2)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
  });
});
