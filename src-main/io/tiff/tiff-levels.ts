import type { BoundedFile } from '../bounded-file';
import { fileError } from '../io-errors';
import { pageOffsets, readIfd, type TiffHeader } from './tiff-ifd';
import { Tag } from './tiff-tags';

/*
 * Pyramidal TIFFs keep reduced-resolution copies of an image beside it: OME-TIFF (Bio-Formats 6+) as
 * SubIFDs of each plane's page, other writers as pages flagged "reduced resolution" (NewSubfileType
 * bit 0) right after the full-resolution page in the main chain. Those pages are levels, not frames.
 */

const SUBFILE_TAGS: ReadonlySet<number> = new Set([Tag.NewSubfileType]);
const LEVEL_TAGS: ReadonlySet<number> = new Set([Tag.NewSubfileType, Tag.SubIFDs]);

/** Most reduced-resolution levels looked at per page. */
const MAX_LEVELS = 64;

/** The pages of the main chain and which of them are frames (full resolution). */
export interface TiffLayout {
  offsets: number[];
  /** Page index of each frame. */
  framePages: number[];
}

async function isReduced(file: BoundedFile, header: TiffHeader, offset: number, index: number): Promise<boolean> {
  const value = (await readIfd(file, header, offset, index, SUBFILE_TAGS)).tags.get(Tag.NewSubfileType);
  return Array.isArray(value) && (value[0] & 1) === 1;
}

/**
 * The main chain's pages, with the reduced-resolution ones set apart from the frames. A second page
 * that is not reduced means an ordinary stack, and no further page is read.
 */
export async function tiffLayout(file: BoundedFile, header: TiffHeader, offsets?: number[]): Promise<TiffLayout> {
  const all = offsets ?? (await pageOffsets(file, header));
  if (all.length < 2 || !(await isReduced(file, header, all[1], 1))) return { offsets: all, framePages: all.map((_, i) => i) };
  const framePages = [0];
  for (let i = 1; i < all.length; i++) if (!(await isReduced(file, header, all[i], i))) framePages.push(i);
  return { offsets: all, framePages };
}

/**
 * The page that holds frame `frame`, reading only as much of the chain as that needs (frame 0 is
 * always the first page, so a chain damaged further on still gives it, as in libtiff).
 */
export async function framePageOffset(file: BoundedFile, header: TiffHeader, frame: number): Promise<{ offset: number; index: number }> {
  if (frame === 0) return { offset: header.firstIfdOffset, index: 0 };
  const first = await pageOffsets(file, header, frame);
  const pyramid = first.length > 1 && (await isReduced(file, header, first[1], 1));
  const layout = pyramid ? await tiffLayout(file, header) : { offsets: first, framePages: first.map((_, i) => i) };
  const index = layout.framePages[frame];
  if (index === undefined || (!pyramid && frame >= first.length)) {
    const count = pyramid ? layout.framePages.length : first.length;
    throw fileError('INVALID_ARGUMENT', file.path, `frame ${frame} does not exist (the file has ${count})`);
  }
  return { offset: layout.offsets[index], index };
}

/**
 * IFD offsets of the reduced-resolution levels of the page at `pageIndex`, in file order (largest
 * first as writers store them): its SubIFDs, else the reduced pages that follow it in the main chain.
 */
export async function levelOffsets(
  file: BoundedFile,
  header: TiffHeader,
  pageOffset: number,
  pageIndex: number,
  layoutOf: () => Promise<TiffLayout>,
): Promise<number[]> {
  const subIfds = (await readIfd(file, header, pageOffset, pageIndex, LEVEL_TAGS)).tags.get(Tag.SubIFDs);
  if (Array.isArray(subIfds) && subIfds.length > 0) return subIfds.slice(0, MAX_LEVELS);
  const layout = await layoutOf();
  const levels: number[] = [];
  for (let i = pageIndex + 1; i < layout.offsets.length && levels.length < MAX_LEVELS; i++) {
    if (layout.framePages.includes(i)) break;
    levels.push(layout.offsets[i]);
  }
  return levels;
}
