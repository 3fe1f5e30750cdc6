/** One input of the malformed-image corpus, made on demand. */
export interface CorpusCase {
  /** Short label, unique within its family (becomes part of the file name). */
  label: string;
  /** Which kind of damage (e.g. 'tiff-dimensions'); the quick corpus samples evenly across families. */
  family: string;
  /** The seed it was made from, or 'none'. */
  from: string;
  /** File extension, with the dot. */
  ext: string;
  /** A valid image that every read must decode (controls that catch readers refusing good files). */
  valid?: boolean;
  /** Takes seconds to read (a legal but huge decode): only in the full corpus. */
  slow?: boolean;
  make(): Uint8Array;
}

export function extensionOf(format: 'tiff' | 'png' | 'jpeg'): string {
  return format === 'tiff' ? '.tif' : format === 'png' ? '.png' : '.jpg';
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
