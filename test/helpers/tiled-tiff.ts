import { deflateSync } from 'node:zlib';

/**
 * Byte-level builder of tiled 16-bit gray TIFFs for tests (independent of src-main's writer): one
 * page, or pyramids as microscope software writes them: each frame's full-resolution page with its
 * reduced-resolution levels either as the next pages of the main chain (NewSubfileType 1) or as
 * SubIFDs of the page (OME-TIFF). Tiles are Deflate-compressed (zlib, compression 8).
 */
export interface TiledLevel {
  width: number;
  height: number;
  /** Row-major samples of this level. */
  data: Uint16Array;
}

export function buildTiledTiff16(levels: TiledLevel[], tileSize = 256): Uint8Array {
  return buildPyramidTiff16([levels], { tileSize, levelsAs: 'pages' });
}

export function buildPyramidTiff16(frames: TiledLevel[][], options: { tileSize?: number; levelsAs: 'pages' | 'subifds' }): Uint8Array {
  const tileSize = options.tileSize ?? 256;
  const chunks: Uint8Array[] = [new Uint8Array([0x49, 0x49, 42, 0, 0, 0, 0, 0])];
  let cursor = 8;
  const append = (bytes: Uint8Array): number => {
    const at = cursor;
    chunks.push(bytes);
    cursor += bytes.length;
    if (bytes.length % 2) {
      chunks.push(new Uint8Array(1));
      cursor++;
    }
    return at;
  };
  const writeIfd = (level: TiledLevel, reduced: boolean, subIfds: number[]): { at: number; nextAt: number } => {
    const across = Math.ceil(level.width / tileSize);
    const down = Math.ceil(level.height / tileSize);
    const offsets: number[] = [];
    const counts: number[] = [];
    const tile = new Uint16Array(tileSize * tileSize);
    for (let ty = 0; ty < down; ty++) {
      for (let tx = 0; tx < across; tx++) {
        tile.fill(0);
        for (let y = 0; y < tileSize && ty * tileSize + y < level.height; y++) {
          const row = (ty * tileSize + y) * level.width + tx * tileSize;
          const n = Math.min(tileSize, level.width - tx * tileSize);
          tile.set(level.data.subarray(row, row + n), y * tileSize);
        }
        const packed = deflateSync(new Uint8Array(tile.buffer), { level: 1 });
        offsets.push(append(packed));
        counts.push(packed.length);
      }
    }
    const entries: [number, 3 | 4, number[]][] = [
      [254, 4, [reduced ? 1 : 0]],
      [256, 4, [level.width]],
      [257, 4, [level.height]],
      [258, 3, [16]],
      [259, 3, [8]],
      [262, 3, [1]],
      [277, 3, [1]],
      [322, 4, [tileSize]],
      [323, 4, [tileSize]],
      [324, 4, offsets],
      [325, 4, counts],
    ];
    if (subIfds.length > 0) entries.push([330, 4, subIfds]);
    const external = new Map<number, number>();
    for (const [tag, type, values] of entries) {
      const size = values.length * (type === 3 ? 2 : 4);
      if (size <= 4) continue;
      const bytes = new Uint8Array(size);
      const v = new DataView(bytes.buffer);
      values.forEach((x, i) => (type === 3 ? v.setUint16(2 * i, x, true) : v.setUint32(4 * i, x, true)));
      external.set(tag, append(bytes));
    }
    const ifd = new Uint8Array(2 + entries.length * 12 + 4);
    const v = new DataView(ifd.buffer);
    v.setUint16(0, entries.length, true);
    entries.forEach(([tag, type, values], i) => {
      const at = 2 + i * 12;
      v.setUint16(at, tag, true);
      v.setUint16(at + 2, type, true);
      v.setUint32(at + 4, values.length, true);
      const ext = external.get(tag);
      if (ext !== undefined) v.setUint32(at + 8, ext, true);
      else if (type === 3) v.setUint16(at + 8, values[0], true);
      else v.setUint32(at + 8, values[0], true);
    });
    const at = append(ifd);
    return { at, nextAt: at + 2 + entries.length * 12 };
  };
  // The main chain: every page when levels are pages, only the full-resolution ones with SubIFDs.
  const chain: { at: number; nextAt: number }[] = [];
  for (const [full, ...reduced] of frames) {
    if (options.levelsAs === 'subifds') {
      const subIfds = reduced.map((level) => writeIfd(level, true, []).at);
      chain.push(writeIfd(full, false, subIfds));
    } else {
      chain.push(writeIfd(full, false, []));
      for (const level of reduced) chain.push(writeIfd(level, true, []));
    }
  }
  const out = new Uint8Array(cursor);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  const view = new DataView(out.buffer);
  view.setUint32(4, chain[0].at, true);
  chain.forEach((ifd, i) => view.setUint32(ifd.nextAt, chain[i + 1]?.at ?? 0, true));
  return out;
}

/** Halves a level by averaging 2x2 blocks (the next pyramid level). */
export function halveLevel(level: TiledLevel): TiledLevel {
  const width = Math.max(1, level.width >> 1);
  const height = Math.max(1, level.height >> 1);
  const data = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = 2 * y * level.width + 2 * x;
      data[y * width + x] = (level.data[i] + level.data[i + 1] + level.data[i + level.width] + level.data[i + level.width + 1]) >> 2;
    }
  }
  return { width, height, data };
}
