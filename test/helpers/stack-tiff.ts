/**
 * Byte-level builder of multi-page little-endian TIFF stacks for tests (independent of src-main's
 * writer): 16-bit gray pages, one uncompressed strip each, an ImageDescription on the first page and
 * X/YResolution with a ResolutionUnit when asked.
 */
export interface StackTiffOptions {
  width: number;
  height: number;
  pages: Uint16Array[];
  description?: string;
  /** Pixels per unit and TIFF ResolutionUnit (1 none, 2 inch, 3 cm). */
  resolution?: { x: number; y: number; unit: 1 | 2 | 3 };
}

interface Entry {
  tag: number;
  type: number;
  count: number;
  bytes: Uint8Array;
}

function entry(tag: number, type: 2 | 3 | 4 | 5, values: number[] | string): Entry {
  if (typeof values === 'string') {
    const bytes = new Uint8Array([...Buffer.from(values, 'utf8'), 0]);
    return { tag, type, count: bytes.length, bytes };
  }
  const size = type === 3 ? 2 : type === 4 ? 4 : 8;
  const count = type === 5 ? values.length / 2 : values.length;
  const bytes = new Uint8Array(count * size);
  const v = new DataView(bytes.buffer);
  values.forEach((x, i) => (type === 3 ? v.setUint16(2 * i, x, true) : v.setUint32(4 * i, x, true)));
  return { tag, type, count, bytes };
}

export function buildStackTiff(options: StackTiffOptions): Uint8Array {
  const { width, height, pages } = options;
  const chunks: Uint8Array[] = [new Uint8Array([0x49, 0x49, 42, 0, 0, 0, 0, 0])];
  let cursor = 8;
  const append = (bytes: Uint8Array) => {
    const at = cursor;
    chunks.push(bytes);
    cursor += bytes.length + (bytes.length % 2);
    if (bytes.length % 2) chunks.push(new Uint8Array(1));
    return at;
  };
  const ifdOffsets: number[] = [];
  const nextPointers: number[] = [];
  pages.forEach((page, index) => {
    const pixels = new Uint8Array(page.buffer, page.byteOffset, page.byteLength);
    const stripAt = append(pixels);
    const entries = [
      entry(256, 4, [width]),
      entry(257, 4, [height]),
      entry(258, 3, [16]),
      entry(259, 3, [1]),
      entry(262, 3, [1]),
      entry(273, 4, [stripAt]),
      entry(277, 3, [1]),
      entry(278, 4, [height]),
      entry(279, 4, [pixels.length]),
    ];
    if (index === 0 && options.description) entries.push(entry(270, 2, options.description));
    if (options.resolution) {
      const r = options.resolution;
      entries.push(entry(282, 5, [Math.round(r.x * 1e6), 1e6]), entry(283, 5, [Math.round(r.y * 1e6), 1e6]), entry(296, 3, [r.unit]));
    }
    entries.sort((a, b) => a.tag - b.tag);
    const external = new Map<Entry, number>();
    for (const e of entries) if (e.bytes.length > 4) external.set(e, append(e.bytes));
    const ifd = new Uint8Array(2 + entries.length * 12 + 4);
    const v = new DataView(ifd.buffer);
    v.setUint16(0, entries.length, true);
    entries.forEach((e, i) => {
      const at = 2 + i * 12;
      v.setUint16(at, e.tag, true);
      v.setUint16(at + 2, e.type, true);
      v.setUint32(at + 4, e.count, true);
      if (external.has(e)) v.setUint32(at + 8, external.get(e)!, true);
      else ifd.set(e.bytes, at + 8);
    });
    const ifdAt = append(ifd);
    ifdOffsets.push(ifdAt);
    nextPointers.push(ifdAt + 2 + entries.length * 12);
  });
  const out = new Uint8Array(cursor);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  const view = new DataView(out.buffer);
  view.setUint32(4, ifdOffsets[0], true);
  nextPointers.forEach((p, i) => view.setUint32(p, ifdOffsets[i + 1] ?? 0, true));
  return out;
}

/** A page whose every pixel tells where it belongs: 1000 + 100 c + 10 z + t. */
export function planeValue(c: number, z: number, t: number): number {
  return 1000 + 100 * c + 10 * z + t;
}

/** The pages of a C x Z x T stack in the given dimension order (fastest first after XY). */
export function stackPages(width: number, height: number, sizes: { C: number; Z: number; T: number }, order: string): Uint16Array[] {
  const axes = order.slice(2).split('') as ('C' | 'Z' | 'T')[];
  const pages: Uint16Array[] = [];
  const total = sizes.C * sizes.Z * sizes.T;
  for (let i = 0; i < total; i++) {
    const pos = { C: 0, Z: 0, T: 0 };
    let rest = i;
    for (const a of axes) {
      pos[a] = rest % sizes[a];
      rest = Math.floor(rest / sizes[a]);
    }
    pages.push(new Uint16Array(width * height).fill(planeValue(pos.C, pos.Z, pos.T)));
  }
  return pages;
}

export function omeXml(sizes: { C: number; Z: number; T: number }, order: string, physical?: { x: number; y: number; unit: string }): string {
  const phys = physical ? ` PhysicalSizeX="${physical.x}" PhysicalSizeXUnit="${physical.unit}" PhysicalSizeY="${physical.y}" PhysicalSizeYUnit="${physical.unit}"` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06" Creator="test">
  <Image ID="Image:0" Name="stack">
    <Pixels ID="Pixels:0" DimensionOrder="${order}" Type="uint16" SizeX="6" SizeY="4" SizeC="${sizes.C}" SizeZ="${sizes.Z}" SizeT="${sizes.T}"${phys}>
      <Channel ID="Channel:0:0" SamplesPerPixel="1"/>
      <TiffData/>
    </Pixels>
  </Image>
</OME>`;
}
