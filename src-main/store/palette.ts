import { UnetError } from '../../src-shared/contract/errors';
import { BACKGROUND_CLASS, type ClassDef } from '../../src-shared/contract/records';

/** Distinct colours for classes 2..; background keeps its own. */
const CLASS_COLORS = ['#e53e3e', '#38a169', '#d69e2e', '#805ad5', '#dd6b20', '#319795', '#d53f8c', '#718096'];

export const BACKGROUND_COLOR = '#3182ce';

export function defaultClassColor(value: number): string {
  return value === BACKGROUND_CLASS ? BACKGROUND_COLOR : CLASS_COLORS[(value - 2 + CLASS_COLORS.length) % CLASS_COLORS.length];
}

export function defaultPalette(): ClassDef[] {
  return [
    { value: 1, name: 'background', color: BACKGROUND_COLOR },
    { value: 2, name: 'cell', color: defaultClassColor(2) },
  ];
}

/** A palette must hold background (1), unique values 1..255, non-empty names and '#rrggbb' colours. */
export function validatePalette(classes: readonly ClassDef[]): ClassDef[] {
  const seen = new Set<number>();
  for (const c of classes) {
    if (!Number.isInteger(c.value) || c.value < 1 || c.value > 255) {
      throw new UnetError('INVALID_ARGUMENT', `class value must be an integer in 1..255, got ${c.value}`);
    }
    if (seen.has(c.value)) throw new UnetError('INVALID_ARGUMENT', `class value ${c.value} appears twice`);
    seen.add(c.value);
    if (typeof c.name !== 'string' || c.name.trim().length === 0 || c.name.length > 100) {
      throw new UnetError('INVALID_ARGUMENT', `class ${c.value} needs a name of 1..100 characters`);
    }
    if (!/^#[0-9a-fA-F]{6}$/.test(c.color)) {
      throw new UnetError('INVALID_ARGUMENT', `class ${c.value} colour must be '#rrggbb', got '${c.color}'`);
    }
  }
  if (!seen.has(BACKGROUND_CLASS)) throw new UnetError('INVALID_ARGUMENT', 'the palette must include background (value 1)');
  return [...classes].map((c) => ({ value: c.value, name: c.name.trim(), color: c.color.toLowerCase() })).sort((a, b) => a.value - b.value);
}
