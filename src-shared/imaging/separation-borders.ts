import { UnetError } from '../contract/errors';
import { assertImageSize, assertLength, assertNonNegativeInt } from './validate';

/**
 * Forces background lines `gap` pixels wide between different objects that touch (or come closer than the gap),
 * so that the network learns to separate them (paper, section 3). A pixel of object a becomes background
 * (class 1, instance 0) when another object b lies within Chebyshev distance floor(gap/2) of it; for odd gaps the
 * object with the larger id also gives up the pixels at distance ceil(gap/2). Chebyshev distance makes diagonal
 * contacts separate too. Distances refer to the input maps; the inputs are not modified.
 */
export function separationBorders<I extends Uint16Array | Uint32Array | Int32Array>(
  classMap: Uint8Array,
  instanceMap: I,
  width: number,
  height: number,
  gap = 2,
): { classMap: Uint8Array; instanceMap: I } {
  assertImageSize(width, height);
  assertLength(classMap, width * height, 'classMap');
  assertLength(instanceMap, width * height, 'instanceMap');
  assertNonNegativeInt(gap, 'gap');
  if (gap > 64) throw new UnetError('INVALID_ARGUMENT', `gap must be <= 64, got ${gap}`);
  const outClass = classMap.slice();
  const outInstance = instanceMap.slice() as I;
  const rBoth = Math.floor(gap / 2);
  const rHigh = Math.ceil(gap / 2);
  if (rHigh === 0) return { classMap: outClass, instanceMap: outInstance };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const a = instanceMap[i];
      if (a === 0) continue;
      let remove = false;
      const yLo = Math.max(0, y - rHigh);
      const yHi = Math.min(height - 1, y + rHigh);
      const xLo = Math.max(0, x - rHigh);
      const xHi = Math.min(width - 1, x + rHigh);
      for (let yy = yLo; yy <= yHi && !remove; yy++) {
        const dy = Math.abs(yy - y);
        let j = yy * width + xLo;
        for (let xx = xLo; xx <= xHi; xx++, j++) {
          const b = instanceMap[j];
          if (b === 0 || b === a) continue;
          const dist = Math.max(dy, Math.abs(xx - x));
          if (dist <= rBoth || (b < a && dist <= rHigh)) {
            remove = true;
            break;
          }
        }
      }
      if (remove) {
        outClass[i] = 1;
        outInstance[i] = 0;
      }
    }
  }
  return { classMap: outClass, instanceMap: outInstance };
}
