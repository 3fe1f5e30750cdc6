import { extname } from 'node:path';
import type { BoundedFile } from './bounded-file';
import type { ImageFormat } from './image-types';
import { corrupt, unsupported } from './io-errors';

/** File extensions listed and written; the format itself is always decided by the file's first bytes. */
export const IMAGE_EXTENSIONS: Record<string, ImageFormat> = {
  '.tif': 'tiff',
  '.tiff': 'tiff',
  '.png': 'png',
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
};

export function formatFromExtension(path: string): ImageFormat | undefined {
  return IMAGE_EXTENSIONS[extname(path).toLowerCase()];
}

/** Formats recognised only to say what a file is when refusing it. */
const OTHER_FORMATS: [string, number[]][] = [
  ['GIF', [0x47, 0x49, 0x46, 0x38]],
  ['BMP', [0x42, 0x4d]],
  ['WebP/RIFF', [0x52, 0x49, 0x46, 0x46]],
  ['JPEG 2000', [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50]],
  ['JPEG 2000 codestream', [0xff, 0x4f, 0xff, 0x51]],
  ['ZIP', [0x50, 0x4b, 0x03, 0x04]],
  ['PDF', [0x25, 0x50, 0x44, 0x46]],
  ['HDF5', [0x89, 0x48, 0x44, 0x46]],
  ['gzip', [0x1f, 0x8b]],
];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

/** Decides the format from the magic bytes; the extension only words the error for files that match none. */
export async function sniffFormat(file: BoundedFile): Promise<ImageFormat> {
  if (file.size === 0) throw corrupt(file.path, 'file is empty (0 bytes)');
  const head = await file.readUpTo(0, 16);
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])
    || startsWith(head, [0x49, 0x49, 0x2b, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2b])) {
    return 'tiff';
  }
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  const other = OTHER_FORMATS.find(([, magic]) => startsWith(head, magic));
  if (other) throw unsupported(file.path, `${other[0]} files are not supported (TIFF, PNG and JPEG are)`);
  const expected = formatFromExtension(file.path);
  if (expected) throw corrupt(file.path, `not a valid ${expected.toUpperCase()} file (unrecognised header)`);
  throw unsupported(file.path, 'not a TIFF, PNG or JPEG file');
}
