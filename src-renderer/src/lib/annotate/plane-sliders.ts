import type { StackAxes, StackPosition } from '../../../../src-shared/imaging/stack-axes';

export interface PlaneSlider {
  axis: keyof StackPosition;
  label: string;
  size: number;
  /** 0-based position shown. */
  value: number;
}

/** One slider per hyperstack axis that has more than one position: Channel, Slice (z), Time (t). */
export function planeSliders(axes: StackAxes, plane: StackPosition): PlaneSlider[] {
  const all: PlaneSlider[] = [
    { axis: 'c', label: 'Channel', size: axes.sizeC, value: plane.c },
    { axis: 'z', label: 'Slice', size: axes.sizeZ, value: plane.z },
    { axis: 't', label: 'Time', size: axes.sizeT, value: plane.t },
  ];
  return all.filter((s) => s.size > 1);
}
