import { UnetError } from '../contract/errors';

/**
 * How the pages of a TIFF stack map to channel (C), focal plane (Z) and time point (T), as OME-TIFF
 * (`Pixels` DimensionOrder, SizeC/Z/T) and ImageJ hyperstacks (`channels=/slices=/frames=`, always
 * XYCZT) describe them. `order` names the axes from fastest to slowest after X and Y.
 */
export const DIMENSION_ORDERS = ['XYCZT', 'XYCTZ', 'XYZCT', 'XYZTC', 'XYTCZ', 'XYTZC'] as const;
export type DimensionOrder = (typeof DIMENSION_ORDERS)[number];

export interface StackAxes {
  sizeC: number;
  sizeZ: number;
  sizeT: number;
  order: DimensionOrder;
  source: 'ome' | 'imagej';
}

export interface StackPosition {
  /** 0-based channel, focal plane and time point. */
  c: number;
  z: number;
  t: number;
}

const SIZE_KEY = { C: 'sizeC', Z: 'sizeZ', T: 'sizeT' } as const;

/** The 0-based page holding plane (c, z, t). */
export function stackFrameIndex(axes: StackAxes, position: StackPosition): number {
  let index = 0;
  let stride = 1;
  for (const axis of axes.order.slice(2) as unknown as ('C' | 'Z' | 'T')[]) {
    const size = axes[SIZE_KEY[axis]];
    const at = position[axis.toLowerCase() as 'c' | 'z' | 't'];
    if (!Number.isInteger(at) || at < 0 || at >= size) {
      throw new UnetError('INVALID_ARGUMENT', `${axisName(axis)} ${at + 1} does not exist (the image has ${size})`, { axis, value: at, size });
    }
    index += at * stride;
    stride *= size;
  }
  return index;
}

/** The (c, z, t) of a 0-based page. */
export function stackPosition(axes: StackAxes, frame: number): StackPosition {
  const position: StackPosition = { c: 0, z: 0, t: 0 };
  let rest = frame;
  for (const axis of axes.order.slice(2) as unknown as ('C' | 'Z' | 'T')[]) {
    const size = axes[SIZE_KEY[axis]];
    position[axis.toLowerCase() as 'c' | 'z' | 't'] = rest % size;
    rest = Math.floor(rest / size);
  }
  return position;
}

export function stackPlaneCount(axes: Pick<StackAxes, 'sizeC' | 'sizeZ' | 'sizeT'>): number {
  return axes.sizeC * axes.sizeZ * axes.sizeT;
}

function axisName(axis: 'C' | 'Z' | 'T'): string {
  return axis === 'C' ? 'channel' : axis === 'Z' ? 'slice' : 'time point';
}
