import { Option } from 'commander';
import type { ImagePlane } from '../../src-shared/imaging/image-plane';
import type { StackPosition } from '../../src-shared/imaging/stack-axes';
import { integer } from './cli-args';

/** --channel, --z and --t as commander parses them: 1-based, as Fiji counts. */
export interface PlaneCliOptions {
  channel?: number;
  z?: number;
  t?: number;
}

const MAX_INDEX = 100_000;

/**
 * One plane option of the commands that read images; `use` says what happens to the plane
 * ('segment', 'train on', ...) in the help text.
 */
export function planeOption(axis: 'channel' | 'z' | 't', use: string): Option {
  const help = {
    channel: `${use} channel N (1-based) of multi-channel images: OME-TIFF / ImageJ hyperstack channels or RGB / interleaved samples (default: all channels as gray)`,
    z: `${use} focal plane (slice) N (1-based) of OME-TIFF / ImageJ hyperstacks (default 1)`,
    t: `${use} time point N (1-based) of OME-TIFF / ImageJ hyperstacks (default 1)`,
  }[axis];
  return new Option(`--${axis} <n>`, help).argParser(integer(1, MAX_INDEX));
}

/** The 0-based plane to read, or undefined when no option was given (the first plane, channels as gray). */
export function planeSelectionOf(options: PlaneCliOptions): Partial<StackPosition> | undefined {
  if (options.channel === undefined && options.z === undefined && options.t === undefined) return undefined;
  return { ...(options.channel === undefined ? {} : { c: options.channel - 1 }), z: (options.z ?? 1) - 1, t: (options.t ?? 1) - 1 };
}

/** The same as a data set's plane. */
export function imagePlaneOf(options: PlaneCliOptions): ImagePlane {
  return { c: options.channel === undefined ? null : options.channel - 1, z: (options.z ?? 1) - 1, t: (options.t ?? 1) - 1 };
}
