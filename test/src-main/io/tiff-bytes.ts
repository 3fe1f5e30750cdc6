/** Byte-level helpers for building and damaging little-endian classic TIFFs in tests. */

export interface RawTag {
  tag: number;
  type: 3 | 4;
  values: number[];
}

/** A minimal TIFF: header, one IFD, out-of-line values, then the given strips (independent of src-main's writer). */
export function buildTiff(tags: RawTag[], strips: Uint8Array[]): Uint8Array {
  const all = [...tags.filter((t) => t.tag !== 273 && t.tag !== 279),
    { tag: 273, type: 4 as const, values: strips.map(() => 0) },
    { tag: 279, type: 4 as const, values: strips.map((s) => s.length) }].sort((a, b) => a.tag - b.tag);
  const ifdSize = 2 + all.length * 12 + 4;
  let cursor = 8 + ifdSize;
  const external = new Map<RawTag, number>();
  for (const t of all) {
    const size = t.values.length * (t.type === 3 ? 2 : 4);
    if (size > 4) {
      external.set(t, cursor);
      cursor += size;
    }
  }
  const offsets = strips.map((s) => {
    const at = cursor;
    cursor += s.length;
    return at;
  });
  (all.find((t) => t.tag === 273) as RawTag).values = offsets;
  const out = new Uint8Array(cursor);
  const view = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0, 8, 0, 0, 0]);
  view.setUint16(8, all.length, true);
  const put = (t: RawTag, at: number) => t.values.forEach((v, i) => (t.type === 3 ? view.setUint16(at + 2 * i, v, true) : view.setUint32(at + 4 * i, v, true)));
  all.forEach((t, i) => {
    const at = 10 + i * 12;
    view.setUint16(at, t.tag, true);
    view.setUint16(at + 2, t.type, true);
    view.setUint32(at + 4, t.values.length, true);
    const ext = external.get(t);
    if (ext === undefined) put(t, at + 8);
    else {
      view.setUint32(at + 8, ext, true);
      put(t, ext);
    }
  });
  strips.forEach((s, i) => out.set(s, offsets[i]));
  return out;
}

export function grayTags(width: number, height: number, bits: number, compression: number, rowsPerStrip = height): RawTag[] {
  return [
    { tag: 256, type: 4, values: [width] },
    { tag: 257, type: 4, values: [height] },
    { tag: 258, type: 3, values: [bits] },
    { tag: 259, type: 3, values: [compression] },
    { tag: 262, type: 3, values: [1] },
    { tag: 277, type: 3, values: [1] },
    { tag: 278, type: 4, values: [rowsPerStrip] },
  ];
}

function ifdOffset(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
}

/** Byte position of the `index`-th value of `tag` in IFD 0 of a little-endian classic TIFF. */
export function tagValuePosition(bytes: Uint8Array, tag: number, index = 0): { at: number; size: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ifd = ifdOffset(bytes);
  const count = view.getUint16(ifd, true);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (view.getUint16(entry, true) !== tag) continue;
    const type = view.getUint16(entry + 2, true);
    const size = type === 3 ? 2 : 4;
    const n = view.getUint32(entry + 4, true);
    const base = n * size <= 4 ? entry + 8 : view.getUint32(entry + 8, true);
    return { at: base + index * size, size };
  }
  throw new Error(`tag ${tag} not found`);
}

export function readTag(bytes: Uint8Array, tag: number, index = 0): number {
  const { at, size } = tagValuePosition(bytes, tag, index);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return size === 2 ? view.getUint16(at, true) : view.getUint32(at, true);
}

/** A copy of `bytes` with one tag value replaced (in place of the old one, same type). */
export function patchTag(bytes: Uint8Array, tag: number, value: number, index = 0): Uint8Array {
  const out = bytes.slice();
  const { at, size } = tagValuePosition(out, tag, index);
  const view = new DataView(out.buffer);
  if (size === 2) view.setUint16(at, value, true);
  else view.setUint32(at, value, true);
  return out;
}

/** Position of the next-IFD pointer of IFD 0. */
export function nextPointerPosition(bytes: Uint8Array): number {
  const ifd = ifdOffset(bytes);
  const count = new DataView(bytes.buffer, bytes.byteOffset).getUint16(ifd, true);
  return ifd + 2 + count * 12;
}
