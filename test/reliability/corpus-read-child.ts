/**
 * Child process of the image-corpus tests: reads each file named on stdin (a JSON array of paths)
 * with readImageMetadata, readImage and readImageRegion, and prints per file:
 *   BEGIN <index>
 *   RESULT <json>   (outcome of each read, time, peak RSS and virtual-memory growth so far)
 * then DONE. A native crash, an abort or an out-of-memory kill shows up in the parent as an exit
 * without DONE, with the file being read named by the last BEGIN.
 * Usage: node --import tsx corpus-read-child.ts < list.json
 */
import { readFileSync } from 'node:fs';
import { UnetError } from '../../src-shared/contract/errors';
import { readImage, readImageMetadata, readImageRegion } from '../../src-main/io/read-image';
import type { ImageMetadata } from '../../src-main/io/image-types';
import { vmPeakKb } from './process-memory';

export type ReadOp = 'metadata' | 'image' | 'region';

export type OpOutcome =
  | { op: ReadOp; ok: true; ms: number; width: number; height: number; channels: number; frames: number; dtype: string; samples: number | null; region?: Region }
  | { op: ReadOp; ok: false; ms: number; unet: boolean; code: string | null; message: string; name: string; region?: Region };

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FileResult {
  index: number;
  ops: OpOutcome[];
  /** Peak resident memory of this process so far, KiB. */
  maxRssKb: number;
  /** How much this file raised the process's peak virtual memory, KiB (null where /proc is absent). */
  vmPeakGrowthKb: number | null;
}

/** A small window in the middle of the image as its header describes it (1x1 at 0,0 when unknown). */
export function regionFor(meta: Pick<ImageMetadata, 'width' | 'height'> | null): Region {
  if (!meta || !(meta.width >= 1) || !(meta.height >= 1)) return { x: 0, y: 0, width: 1, height: 1 };
  const x = Math.floor(meta.width / 3);
  const y = Math.floor(meta.height / 3);
  return { x, y, width: Math.max(1, Math.min(16, meta.width - x)), height: Math.max(1, Math.min(16, meta.height - y)) };
}

async function attempt(op: ReadOp, work: () => Promise<unknown>, region?: Region): Promise<OpOutcome> {
  const t0 = performance.now();
  try {
    const value = (await work()) as { width: number; height: number; channels: number; frames: number; dtype: string; data?: ArrayLike<number> };
    const ms = performance.now() - t0;
    return { op, ok: true, ms, width: value.width, height: value.height, channels: value.channels, frames: value.frames, dtype: value.dtype, samples: value.data ? value.data.length : null, region };
  } catch (error) {
    const ms = performance.now() - t0;
    const unet = error instanceof UnetError;
    return {
      op,
      ok: false,
      ms,
      unet,
      code: unet ? error.code : null,
      message: error instanceof Error ? error.message : String(error),
      name: error instanceof Error ? error.constructor.name : typeof error,
      region,
    };
  }
}

async function main(): Promise<void> {
  const files = JSON.parse(readFileSync(0, 'utf8')) as string[];
  for (let index = 0; index < files.length; index++) {
    const file = files[index];
    process.stdout.write(`BEGIN ${index}\n`);
    const vmBefore = vmPeakKb();
    let meta: ImageMetadata | null = null;
    const ops: OpOutcome[] = [];
    ops.push(await attempt('metadata', async () => (meta = await readImageMetadata(file))));
    ops.push(await attempt('image', () => readImage(file)));
    const region = regionFor(meta);
    ops.push(await attempt('region', () => readImageRegion(file, region), region));
    const vmAfter = vmPeakKb();
    const result: FileResult = {
      index,
      ops,
      maxRssKb: process.resourceUsage().maxRSS,
      vmPeakGrowthKb: vmBefore === null || vmAfter === null ? null : vmAfter - vmBefore,
    };
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  }
  process.stdout.write('DONE\n');
}

await main();
