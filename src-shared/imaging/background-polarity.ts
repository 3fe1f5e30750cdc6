import { UnetError } from '../contract/errors';
import { percentile } from './normalization';

/**
 * Bright and dark backgrounds in one data set. Nuclei data often mix fluorescence (bright nuclei on a
 * dark background) with H&E or bright-field images (dark nuclei on a bright background); a network
 * trained on the first reads the second as all background (DSB 2018: SEG 0.01 on its H&E test image).
 * Inverting the bright-background images makes every image bright objects on dark, as many DSB 2018
 * solutions did. Levels are read on percentile-normalised images (0..1 between the low and high
 * percentile): the background level is the image's median.
 */

/** At or above this median an image has a bright background (and is inverted in a mixed data set). */
export const BRIGHT_BACKGROUND_LEVEL = 0.5;
/** A data set mixes backgrounds when some image's median is at most this and another's at least BRIGHT_BACKGROUND_LEVEL. */
export const DARK_BACKGROUND_LEVEL = 0.2;

/** The median of a normalised image (its background level: the background is most of the pixels). */
export function backgroundLevel(normalised: ArrayLike<number>): number {
  if (normalised.length === 0) throw new UnetError('INVALID_ARGUMENT', 'cannot read the background level of an empty image');
  return percentile(normalised, 50);
}

/** Whether images with these background levels mix clearly dark and clearly bright backgrounds. */
export function mixesBackgrounds(levels: readonly number[]): boolean {
  return levels.some((l) => l <= DARK_BACKGROUND_LEVEL) && levels.some((l) => l >= BRIGHT_BACKGROUND_LEVEL);
}

/** Inverts a normalised image in place (v -> 1 - v) when its background is bright; says whether it did. */
export function invertIfBrightBackground(normalised: Float32Array): boolean {
  if (backgroundLevel(normalised) < BRIGHT_BACKGROUND_LEVEL) return false;
  for (let i = 0; i < normalised.length; i++) normalised[i] = 1 - normalised[i];
  return true;
}
