import { UnetError } from '../contract/errors';
import { assertImageSize, assertLength } from './validate';

/**
 * A training target with a third kind of pixel, "border": the outline of every object and the gaps
 * forced between touching objects. A network that predicts it separately from the objects' interiors
 * gives each touching cell its own seed (the interior) while the border still counts as the object.
 *
 * `painted` is the class map as annotated; `separated` and `separatedInstances` the target after
 * separation gaps (separationBorders: gap pixels are background there). An annotated object pixel
 * becomes `borderClass` when it lies in a gap, or when one of its 8 neighbours is background or another
 * object in the separated target. Unlabelled neighbours (class 0) make no border: partial annotations
 * leave unannotated cells unlabelled, and their edge is not known. Pixels painted with a class but no
 * object id count as one object per class.
 */
export function withBorderClass(
  painted: Uint8Array,
  separated: Uint8Array,
  separatedInstances: ArrayLike<number>,
  width: number,
  height: number,
  borderClass: number,
): Uint8Array {
  assertImageSize(width, height);
  const n = width * height;
  assertLength(painted, n, 'painted');
  assertLength(separated, n, 'separated');
  assertLength(separatedInstances, n, 'separatedInstances');
  if (!(Number.isInteger(borderClass) && borderClass >= 2 && borderClass <= 255)) {
    throw new UnetError('INVALID_ARGUMENT', `borderClass must be an integer in [2, 255], got ${borderClass}`);
  }
  // Which object a separated pixel belongs to: its id, or minus its class when painted without ids.
  const objectOf = (i: number) => (separatedInstances[i] !== 0 ? separatedInstances[i] : -separated[i]);
  const out = separated.slice();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (painted[i] < 2) continue;
      // A gap pixel: painted as an object, background in the separated target.
      if (separated[i] < 2) {
        out[i] = borderClass;
        continue;
      }
      const own = objectOf(i);
      let edge = false;
      for (let dy = -1; dy <= 1 && !edge; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if ((dx === 0 && dy === 0) || xx < 0 || xx >= width) continue;
          const j = yy * width + xx;
          if (separated[j] === 1 || (separated[j] >= 2 && objectOf(j) !== own)) {
            edge = true;
            break;
          }
        }
      }
      if (edge) out[i] = borderClass;
    }
  }
  return out;
}
