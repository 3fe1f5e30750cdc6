import pngjs from 'pngjs';

/** One-channel 8- or 16-bit PNG (label maps). pngjs reads 16-bit input from the start of the array's buffer. */
export function encodeGrayPng(data: Uint8Array | Uint16Array, width: number, height: number): Uint8Array {
  const bitDepth = data instanceof Uint16Array ? 16 : 8;
  const own = data.byteOffset === 0 && data.buffer.byteLength === data.byteLength ? data : data.slice();
  const png = { width, height, data: Buffer.from(own.buffer, own.byteOffset, own.byteLength) };
  return pngjs.PNG.sync.write(png as unknown as pngjs.PNG, {
    colorType: 0,
    inputColorType: 0,
    inputHasAlpha: false,
    bitDepth,
    deflateLevel: 6,
  });
}
