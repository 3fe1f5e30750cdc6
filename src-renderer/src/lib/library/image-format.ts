import type { ImageRecord } from '../../../../src-shared/contract/records';
import type { StackAxes } from '../../../../src-shared/imaging/stack-axes';
import { bitDepthOf } from '../viewer/contrast';

/** "512×512 · 16-bit" plus channels and frames when there is more than one; a hyperstack's C × Z × T. */
export function describeImage(image: Pick<ImageRecord, 'width' | 'height' | 'dtype' | 'channels' | 'frames'>, axes?: StackAxes | null): string {
  const depth = bitDepthOf(image.dtype);
  const parts = [`${image.width}×${image.height}`, depth ? `${depth}-bit${image.dtype.startsWith('float') ? ' float' : ''}` : image.dtype];
  if (image.channels > 1) parts.push(`${image.channels} ch`);
  if (axes) parts.push(`${axes.sizeC} C × ${axes.sizeZ} Z × ${axes.sizeT} T (${axes.source === 'ome' ? 'OME' : 'ImageJ'})`);
  else if (image.frames > 1) parts.push(`${image.frames} fr`);
  return parts.join(' · ');
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

export const SPLIT_LABELS = { train: 'train', validation: 'val', test: 'test' } as const;
