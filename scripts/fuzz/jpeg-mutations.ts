import { concat, type CorpusCase } from './corpus-case';
import type { Seed } from './corpus-seeds';

/*
 * Targeted JPEG damage: frame header sizes and sampling, table definitions, marker lengths, the marker
 * order, and frame types the decoder does not handle.
 */

interface Segment {
  marker: number;
  /** Byte position of the 0xFF of the marker. */
  at: number;
  /** Bytes of the whole segment, marker included. */
  size: number;
}

/** The marker segments from SOI up to and including SOS (the scan data follows the last). */
function readSegments(bytes: Uint8Array): Segment[] {
  const segments: Segment[] = [];
  let at = 2;
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1];
    const size = 2 + ((bytes[at + 2] << 8) | bytes[at + 3]);
    segments.push({ marker, at, size });
    if (marker === 0xda) break;
    at += size;
  }
  return segments;
}

const SOF = new Set([0xc0, 0xc1, 0xc2]);

type Edit = (out: Uint8Array, segments: Segment[]) => Uint8Array | void;

function sof(segments: Segment[]): Segment | undefined {
  return segments.find((s) => SOF.has(s.marker));
}

/** Edits the frame header: at+4 precision, at+5 height, at+7 width, at+9 components, then id, sampling, table. */
const frame = (edit: (out: Uint8Array, at: number) => void): Edit => (out, segments) => {
  const s = sof(segments);
  if (s) edit(out, s.at);
};

const u16 = (out: Uint8Array, at: number, value: number) => {
  out[at] = value >> 8;
  out[at + 1] = value & 0xff;
};

function remove(marker: number): Edit {
  return (out, segments) => {
    const s = segments.find((x) => x.marker === marker);
    if (s) return concat(out.subarray(0, s.at), out.subarray(s.at + s.size));
  };
}

function segmentByte(marker: number, offset: number, value: number): Edit {
  return (out, segments) => {
    const s = segments.find((x) => x.marker === marker);
    if (s && s.at + offset < out.length) out[s.at + offset] = value;
  };
}

const MUTATIONS: { family: string; label: string; edit: Edit }[] = [
  { family: 'jpeg-dimensions', label: 'h0', edit: frame((o, at) => u16(o, at + 5, 0)) },
  { family: 'jpeg-dimensions', label: 'w0', edit: frame((o, at) => u16(o, at + 7, 0)) },
  { family: 'jpeg-dimensions', label: 'w65535-h65535', edit: frame((o, at) => (u16(o, at + 5, 65535), u16(o, at + 7, 65535))) },
  { family: 'jpeg-dimensions', label: 'w1-h65535', edit: frame((o, at) => (u16(o, at + 5, 65535), u16(o, at + 7, 1))) },
  { family: 'jpeg-dimensions', label: 'w65535-h1', edit: frame((o, at) => (u16(o, at + 5, 1), u16(o, at + 7, 65535))) },
  { family: 'jpeg-dimensions', label: 'w20000-h20000', edit: frame((o, at) => (u16(o, at + 5, 20000), u16(o, at + 7, 20000))) },
  { family: 'jpeg-frame', label: 'components0', edit: frame((o, at) => (o[at + 9] = 0)) },
  { family: 'jpeg-frame', label: 'components2', edit: frame((o, at) => (o[at + 9] = 2)) },
  { family: 'jpeg-frame', label: 'components4', edit: frame((o, at) => (o[at + 9] = 4)) },
  { family: 'jpeg-frame', label: 'components255', edit: frame((o, at) => (o[at + 9] = 255)) },
  { family: 'jpeg-frame', label: 'precision12', edit: frame((o, at) => (o[at + 4] = 12)) },
  { family: 'jpeg-frame', label: 'precision16', edit: frame((o, at) => (o[at + 4] = 16)) },
  { family: 'jpeg-frame', label: 'precision0', edit: frame((o, at) => (o[at + 4] = 0)) },
  { family: 'jpeg-frame', label: 'sampling0', edit: frame((o, at) => (o[at + 11] = 0x00)) },
  { family: 'jpeg-frame', label: 'sampling5x5', edit: frame((o, at) => (o[at + 11] = 0x55)) },
  { family: 'jpeg-frame', label: 'sampling15x1', edit: frame((o, at) => (o[at + 11] = 0xf1)) },
  { family: 'jpeg-frame', label: 'sampling4x4', edit: frame((o, at) => (o[at + 11] = 0x44)) },
  { family: 'jpeg-frame', label: 'quant-table-9', edit: frame((o, at) => (o[at + 12] = 9)) },
  { family: 'jpeg-frame', label: 'sof-length-0', edit: frame((o, at) => u16(o, at + 2, 0)) },
  { family: 'jpeg-frame', label: 'sof-length-max', edit: frame((o, at) => u16(o, at + 2, 0xffff)) },
  ...[0xc3, 0xc5, 0xc9, 0xcb, 0xcf].map((m) => ({ family: 'jpeg-sof-type', label: `sof-${m.toString(16)}`, edit: frame((o, at) => (o[at + 1] = m)) })),
  { family: 'jpeg-tables', label: 'dqt-id-5', edit: segmentByte(0xdb, 4, 0x05) },
  { family: 'jpeg-tables', label: 'dqt-16bit-short', edit: segmentByte(0xdb, 4, 0x10) },
  { family: 'jpeg-tables', label: 'dqt-length-1', edit: (o, s) => { const d = s.find((x) => x.marker === 0xdb); if (d) u16(o, d.at + 2, 1); } },
  { family: 'jpeg-tables', label: 'dht-counts-overflow', edit: (o, s) => { const d = s.find((x) => x.marker === 0xc4); if (d) o.fill(0xff, d.at + 5, d.at + 21); } },
  { family: 'jpeg-tables', label: 'dht-class-2', edit: segmentByte(0xc4, 4, 0x20) },
  { family: 'jpeg-tables', label: 'dht-id-7', edit: segmentByte(0xc4, 4, 0x07) },
  { family: 'jpeg-tables', label: 'dht-length-0', edit: (o, s) => { const d = s.find((x) => x.marker === 0xc4); if (d) u16(o, d.at + 2, 0); } },
  { family: 'jpeg-scan', label: 'sos-components-0', edit: segmentByte(0xda, 4, 0) },
  { family: 'jpeg-scan', label: 'sos-components-5', edit: segmentByte(0xda, 4, 5) },
  { family: 'jpeg-scan', label: 'sos-selector-missing', edit: segmentByte(0xda, 5, 0x7e) },
  { family: 'jpeg-scan', label: 'sos-tables-3', edit: segmentByte(0xda, 6, 0x33) },
  { family: 'jpeg-scan', label: 'sos-spectral-200', edit: (o, s) => { const d = s.find((x) => x.marker === 0xda); if (d) o[d.at + d.size - 3] = 200; } },
  { family: 'jpeg-scan', label: 'scan-garbage', edit: (o, s) => { const d = s.find((x) => x.marker === 0xda); if (d) for (let i = d.at + d.size; i < o.length - 2; i += 3) o[i] = (i * 97) & 0xfe; } },
  { family: 'jpeg-scan', label: 'dri-1-no-restarts', edit: (o, s) => { const d = s.find((x) => x.marker === 0xda); if (d) return concat(o.subarray(0, d.at), Uint8Array.from([0xff, 0xdd, 0, 4, 0, 1]), o.subarray(d.at)); } },
  { family: 'jpeg-markers', label: 'no-sof', edit: (o, s) => { const d = sof(s); if (d) return concat(o.subarray(0, d.at), o.subarray(d.at + d.size)); } },
  { family: 'jpeg-markers', label: 'no-dht', edit: remove(0xc4) },
  { family: 'jpeg-markers', label: 'no-dqt', edit: remove(0xdb) },
  { family: 'jpeg-markers', label: 'no-sos', edit: (o, s) => { const d = s.find((x) => x.marker === 0xda); if (d) return concat(o.subarray(0, d.at), Uint8Array.from([0xff, 0xd9])); } },
  { family: 'jpeg-markers', label: 'no-soi', edit: (o) => o.subarray(2) },
  { family: 'jpeg-markers', label: 'no-eoi', edit: (o) => o.subarray(0, o.length - 2) },
  { family: 'jpeg-markers', label: 'app0-length-0', edit: (o, s) => { const d = s[0]; if (d) u16(o, d.at + 2, 0); } },
  { family: 'jpeg-markers', label: 'app0-length-max', edit: (o, s) => { const d = s[0]; if (d) u16(o, d.at + 2, 0xffff); } },
  { family: 'jpeg-markers', label: 'first-marker-not-ff', edit: (o) => { o[2] = 0x00; } },
  { family: 'jpeg-markers', label: '30000-comments', edit: (o) => {
    const comment = Uint8Array.from([0xff, 0xfe, 0x00, 0x03, 0x41]);
    const body = new Uint8Array(comment.length * 30000);
    for (let i = 0; i < 30000; i++) body.set(comment, i * comment.length);
    return concat(o.subarray(0, 2), body, o.subarray(2));
  } },
  { family: 'jpeg-markers', label: 'sof-twice-different', edit: (o, s) => {
    const d = sof(s);
    if (!d) return;
    const copy = o.slice(d.at, d.at + d.size);
    u16(copy, 5, 30000);
    return concat(o.subarray(0, d.at + d.size), copy, o.subarray(d.at + d.size));
  } },
];

/** Every targeted JPEG case, on each JPEG seed in turn (the generated baseline one at least). */
export function jpegCases(seeds: Seed[]): CorpusCase[] {
  const jpegs = seeds.filter((s) => s.format === 'jpeg');
  const cases: CorpusCase[] = [];
  MUTATIONS.forEach((m, index) => {
    const seed = jpegs[index % jpegs.length];
    const segments = readSegments(seed.bytes);
    cases.push({
      family: m.family,
      label: m.label,
      from: seed.name,
      ext: '.jpg',
      make: () => {
        const out = seed.bytes.slice();
        return m.edit(out, segments) ?? out;
      },
    });
  });
  return cases;
}
