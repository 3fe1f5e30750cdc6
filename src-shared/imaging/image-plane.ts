import type { StackAxes, StackPosition } from './stack-axes';

/**
 * The 2D plane of an image that is shown, annotated, trained on and segmented: channel, focal plane
 * (z) and time point (t), 0-based. `c: null` is what a plain read gives, the first plane with all
 * its samples (averaged to gray for the network). A number picks a channel of an OME-TIFF / ImageJ
 * hyperstack or, in an image without stack axes, one sample of each pixel (RGB, interleaved channels).
 */
export interface ImagePlane {
  c: number | null;
  z: number;
  t: number;
}

export const FIRST_PLANE: Readonly<ImagePlane> = Object.freeze({ c: null, z: 0, t: 0 });

/** How many channels, focal planes and time points can be chosen (each at least 1). */
export interface PlaneSizes {
  c: number;
  z: number;
  t: number;
}

/** What of an image decides which planes it has. */
export interface PlaneSource {
  /** Hyperstack axes (OME-TIFF, ImageJ), or null. */
  axes: StackAxes | null;
  /** Samples per pixel. */
  channels: number;
}

export function samePlane(a: ImagePlane, b: ImagePlane): boolean {
  return a.c === b.c && a.z === b.z && a.t === b.t;
}

export function isFirstPlane(plane: ImagePlane): boolean {
  return samePlane(plane, FIRST_PLANE);
}

/** "channel 2 · slice 3 · time 1", 1-based as Fiji counts; "the first plane" when nothing was chosen. */
export function describePlane(plane: ImagePlane): string {
  if (isFirstPlane(plane)) return 'the first plane';
  const parts = [plane.c === null ? 'all channels' : `channel ${plane.c + 1}`, `slice ${plane.z + 1}`, `time ${plane.t + 1}`];
  return parts.join(' · ');
}

/** The selection `readImagePlane` takes: a channel only when one was chosen. */
export function planeSelection(plane: ImagePlane): Partial<StackPosition> {
  return plane.c === null ? { z: plane.z, t: plane.t } : { c: plane.c, z: plane.z, t: plane.t };
}

/** The planes an image has: a hyperstack's C x Z x T, else its samples and one z and t. */
export function planeSizesOf(image: PlaneSource): PlaneSizes {
  return image.axes ? { c: image.axes.sizeC, z: image.axes.sizeZ, t: image.axes.sizeT } : { c: image.channels, z: 1, t: 1 };
}

/** The planes every one of the images has: what a data set of them may choose. */
export function commonPlaneSizes(images: Iterable<PlaneSource>): PlaneSizes {
  let sizes: PlaneSizes | null = null;
  for (const image of images) {
    const own = planeSizesOf(image);
    sizes = sizes ? { c: Math.min(sizes.c, own.c), z: Math.min(sizes.z, own.z), t: Math.min(sizes.t, own.t) } : own;
  }
  return sizes ?? { c: 1, z: 1, t: 1 };
}

/** Why an image has no such plane ("has no channel 3 (it has 2)"), or null when it has it. */
export function planeProblem(plane: ImagePlane, image: PlaneSource): string | null {
  const sizes = planeSizesOf(image);
  if (plane.c !== null && plane.c >= sizes.c) return `has no channel ${plane.c + 1} (it has ${sizes.c})`;
  if (plane.z >= sizes.z) return image.axes ? `has no slice ${plane.z + 1} (it has ${sizes.z})` : 'has no focal planes to pick from (no OME or ImageJ hyperstack axes)';
  if (plane.t >= sizes.t) return image.axes ? `has no time point ${plane.t + 1} (it has ${sizes.t})` : 'has no time points to pick from (no OME or ImageJ hyperstack axes)';
  return null;
}

/** The plane recorded in a run's configuration; runs recorded before planes could be chosen used the first. */
export function recordedPlane(config: Record<string, unknown>): ImagePlane {
  const plane = config.plane as Partial<ImagePlane> | undefined;
  if (!plane || typeof plane !== 'object') return { ...FIRST_PLANE };
  const index = (v: unknown) => (Number.isInteger(v) && (v as number) >= 0 ? (v as number) : 0);
  return { c: plane.c === null || plane.c === undefined ? null : index(plane.c), z: index(plane.z), t: index(plane.t) };
}
