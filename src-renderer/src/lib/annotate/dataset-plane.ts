import type { ImagePixels } from '../../../../src-shared/contract/records';
import { planeProblem, type ImagePlane } from '../../../../src-shared/imaging/image-plane';
import { stackFrameIndex, stackPosition, type StackAxes } from '../../../../src-shared/imaging/stack-axes';
import { defaultChannel, type ChannelChoice } from '../viewer/display-image';

/** What Annotate shows of an image: the frame read, the display channel, and what the image has. */
export interface ShownView {
  frame: number;
  axes: StackAxes | null;
  channel: ChannelChoice;
  /** Samples per pixel. */
  samples: number;
}

/** The frame holding a data set's plane; null when the image has no such plane (imported after it was chosen). */
export function frameOfPlane(image: Pick<ShownView, 'axes' | 'samples'>, plane: ImagePlane): number | null {
  if (planeProblem(plane, { axes: image.axes, channels: image.samples })) return null;
  return image.axes ? stackFrameIndex(image.axes, { c: plane.c ?? 0, z: plane.z, t: plane.t }) : 0;
}

/**
 * Whether the view shows the data set's plane, the only one painted on (an annotation belongs to the
 * pixels it is trained with). A colour image's display channel matters only when the plane picks one.
 */
export function showsPlane(view: ShownView, plane: ImagePlane): boolean {
  const frame = frameOfPlane(view, plane);
  if (frame === null || view.frame !== frame) return false;
  return view.axes !== null || plane.c === null || view.channel === plane.c;
}

/** The view as a plane a data set could choose; null for a later page of a plain multi-page TIFF. */
export function planeOfView(view: ShownView): ImagePlane | null {
  if (view.axes) return stackPosition(view.axes, view.frame);
  if (view.frame !== 0) return null;
  return { c: typeof view.channel === 'number' && view.samples > 1 ? view.channel : null, z: 0, t: 0 };
}

/** The display channel an image opens with: the plane's sample of a colour image, else the usual default. */
export function openingChannel(pixels: Pick<ImagePixels, 'channels' | 'dtype' | 'axes'>, plane: ImagePlane): ChannelChoice {
  return !pixels.axes && plane.c !== null && plane.c < pixels.channels ? plane.c : defaultChannel(pixels);
}
