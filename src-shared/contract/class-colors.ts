import { BACKGROUND_CLASS, FIRST_OBJECT_CLASS } from './records';

export const BACKGROUND_COLOR = '#3182ce';

/**
 * Colours of object classes 2, 3, … in turn, chosen to stay apart from each other on grey images
 * (none is the plain grey the overlay gives a class missing from the palette).
 */
export const OBJECT_CLASS_COLORS = ['#e53e3e', '#38a169', '#d69e2e', '#805ad5', '#dd6b20', '#319795', '#d53f8c', '#718096'];

/** The colour a class gets when it is made, by an import or in the annotation palette. */
export function defaultClassColor(value: number): string {
  if (value === BACKGROUND_CLASS) return BACKGROUND_COLOR;
  const n = OBJECT_CLASS_COLORS.length;
  return OBJECT_CLASS_COLORS[(((value - FIRST_OBJECT_CLASS) % n) + n) % n];
}
