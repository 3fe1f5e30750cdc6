import type { ImagePixels } from '../../../../src-shared/contract/records';
import type { ImagePlane } from '../../../../src-shared/imaging/image-plane';
import { stackFrameIndex, stackPosition, type StackAxes } from '../../../../src-shared/imaging/stack-axes';
import { defaultChannel, type ChannelChoice } from '../viewer/display-image';

/** What Annotate shows of an image: the frame read and the display channel. */
export interface ShownView {
  frame: number;
  axes: StackAxes | null;
  channel: ChannelChoice;
}

/** The frame holding a data set's plane. */
export function frameOfPlane(axes: StackAxes | null, plane: ImagePlane): number {
  return axes ? stackFrameIndex(axes, { c: plane.c ?? 0, z: plane.z, t: plane.t }) : 0;
}

/**
 * Whether the view shows the data set's plane, the only one painted on (an annotation belongs to the
 * pixels it is trained with). A colour image's display channel matters only when the plane picks one.
 */
export function showsPlane(view: ShownView, plane: ImagePlane): boolean {
  if (view.axes) return view.frame === frameOfPlane(view.axes, plane);
  if (view.frame !== 0 || plane.z !== 0 || plane.t !== 0) return false;
  return plane.c === null || view.channel === plane.c;
}

/** The view as a plane a data set could choose; null for a later page of a plain multi-page TIFF. */
export function planeOfView(view: ShownView, samples: number): ImagePlane | null {
  if (view.axes) return stackPosition(view.axes, view.frame);
  if (view.frame !== 0) return null;
  return { c: typeof view.channel === 'number' && samples > 1 ? view.channel : null, z: 0, t: 0 };
}

/** The display channel an image opens with: the plane's sample of a colour image, else the usual default. */
export function openingChannel(pixels: Pick<ImagePixels, 'channels' | 'dtype' | 'axes'>, plane: ImagePlane): ChannelChoice {
  return !pixels.axes && plane.c !== null && plane.c < pixels.channels ? plane.c : defaultChannel(pixels);
}
