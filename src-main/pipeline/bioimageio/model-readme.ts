import { haloFor } from '../../../src-shared/imaging/tile-geometry';
import { MAX_UPSCALE } from '../../../src-shared/contract/training';
import { AUTO_UPSCALE_DIAMETER } from '../../../src-shared/imaging/object-size';
import type { UNetMetadata } from '../../engine/model-files';
import { UNET_CITATION } from './rdf';

/** README.md of an exported package: what the model is, how to feed it, how it was validated. */
export function modelReadme(name: string, description: string, m: UNetMetadata): string {
  const a = m.architecture;
  const halo = haloFor(a.depth);
  const n = m.normalization;
  const v = m.training.validation;
  return `# ${name}

${description}

A U-Net (Ronneberger, Fischer and Brox, MICCAI 2015) with unpadded 3x3 convolutions, trained with
U-Net Studio: depth ${a.depth}, ${a.baseChannels} channels in the first level, ${a.inChannels} input channel(s),
${a.numClasses} output classes (${m.classNames.join(', ')}; index 0, "unlabeled", is never a target).

## Inputs and outputs

- Input \`raw\`: (batch, channel, y, x), float32. Legal sizes are ${m.tile ? `${m.tile.input} (training tile) and ` : ''}any
  size that keeps every 2x2 max-pool on an even size (min + n * ${2 ** a.depth}).
- Preprocessing: ${n ? `(raw - ${n.low}) / (${n.high} - ${n.low}): the ${n.lowPct} and ${n.highPct} percentiles of the training images, fixed (\`scale_linear\`)` : 'each image scaled by its own 1st and 99.8th percentiles (`scale_range`)'}.
${preprocessingNotes(m)}- Output \`probabilities\`: softmax over the classes, (batch, class, y, x). Valid convolutions make it
  ${halo} pixels smaller than the input on every side: segment large images with overlapping input tiles
  (overlap-tile strategy), mirroring the image at its border.

## Training

Trained for ${m.training.step} steps on the ${m.training.backend} backend (data hash ${m.training.dataHash.slice(0, 12)},
configuration hash ${m.training.configHash.slice(0, 12)}), saved ${m.createdAt}.

## Validation

${v ? `On the held-out validation images at step ${v.step}: foreground IoU ${v.iou.toFixed(4)}, loss ${v.loss.toFixed(4)}.` : 'No validation images were used while training; evaluate the model on annotated images of your own before relying on it.'}
The test tensors in this package (test_input.npy -> test_output.npy) reproduce the model's output for
one tile and serve as a check that a consumer runs it correctly.

## Citation

${UNET_CITATION.text} doi:${UNET_CITATION.doi}
`;
}

/** What U-Net Studio does beyond the declared preprocessing; other consumers must do it themselves. */
function preprocessingNotes(m: UNetMetadata): string {
  const notes: string[] = [];
  if (m.invertBrightBackground && m.normalization === null) {
    notes.push('- Bright backgrounds: the training images mixed dark and bright backgrounds, and those whose median after\n  scaling was 0.5 or more were inverted (1 - x); invert such images the same way before running the model.\n');
  }
  if (m.upscale === 'auto') {
    notes.push(`- Enlargement: each training image was enlarged round(${AUTO_UPSCALE_DIAMETER} / d) times (1 to ${MAX_UPSCALE}; bilinear, pixel
  centres aligned), d being the median equivalent diameter of its objects in pixels. U-Net Studio segments an image
  once as it is, measures d on the objects found, and if it asks for more segments it again enlarged that many
  times, averaging the output over blocks of that size to bring it back to the image's size.
`);
  } else if (m.upscale !== undefined && m.upscale > 1) {
    notes.push(`- Enlargement: the model was trained on images enlarged ${m.upscale} times (bilinear, pixel centres aligned).
  Enlarge an image the same way before running the model, and average the output over ${m.upscale} x ${m.upscale} blocks
  to bring it back to the image's size; U-Net Studio does both.
`);
  }
  if (m.trainingNoise) {
    notes.push(`- Noise: the training images' pixel noise (Immerkær's estimate after scaling) was ${m.trainingNoise.sigma.toFixed(4)}; U-Net Studio\n  smooths an image more than 1.5x noisier with the smallest Gaussian that brings it down to that level.\n`);
  }
  if (m.borderClass !== undefined) {
    notes.push(`- Border class: output channel ${m.borderClass} ("${m.classNames[m.borderClass]}") is the objects' outlines and the gaps between
  touching objects. Count it as object; U-Net Studio grows each object from its interior (the other foreground
  channels), which keeps touching cells apart.
`);
  }
  return notes.join('');
}
