import { UnetError } from '../../src-shared/contract/errors';
import { BACKGROUND_COLOR, defaultClassColor } from '../../src-shared/contract/class-colors';
import { BACKGROUND_CLASS, type ClassDef } from '../../src-shared/contract/records';

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
