import { BACKGROUND_COLOR, defaultClassColor } from '../../../../src-shared/contract/class-colors';
import { BACKGROUND_CLASS, FIRST_OBJECT_CLASS, UNLABELED_CLASS, type ClassDef } from '../../../../src-shared/contract/records';

/** The pseudo-class the eraser paints: shown in the palette, never stored in the data set. */
export const UNLABELED_ENTRY: ClassDef = { value: UNLABELED_CLASS, name: 'unlabeled', color: '#000000' };

export function parseHexColor(color: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!m) return [160, 160, 160];
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}

/** The smallest class value >= 2 not yet used, or null when all 255 are taken. */
export function nextClassValue(classes: readonly ClassDef[]): number | null {
  const used = new Set(classes.map((c) => c.value));
  for (let v = FIRST_OBJECT_CLASS; v <= 255; v++) if (!used.has(v)) return v;
  return null;
}

/** A new palette with one more object class (name trimmed, the colour an import would give it). */
export function addClass(classes: readonly ClassDef[], name: string): ClassDef[] {
  const value = nextClassValue(classes);
  const trimmed = name.trim();
  if (value === null) throw new Error('a data set holds at most 254 object classes');
  if (!trimmed) throw new Error('a class needs a name');
  return [...classes, { value, name: trimmed, color: defaultClassColor(value) }].sort((a, b) => a.value - b.value);
}

export function updateClass(classes: readonly ClassDef[], value: number, change: Partial<Pick<ClassDef, 'name' | 'color'>>): ClassDef[] {
  return classes.map((c) => (c.value === value ? { ...c, ...change, name: (change.name ?? c.name).trim() || c.name } : c));
}

/** Palette entries offered for painting: unlabeled (eraser), background, then object classes. */
export function paintableClasses(classes: readonly ClassDef[]): ClassDef[] {
  const sorted = [...classes].sort((a, b) => a.value - b.value);
  if (!sorted.some((c) => c.value === BACKGROUND_CLASS)) sorted.unshift({ value: BACKGROUND_CLASS, name: 'background', color: BACKGROUND_COLOR });
  return [UNLABELED_ENTRY, ...sorted];
}

/** RGBA per class value (256 x 4 bytes); class 0 is transparent, values without a palette entry grey. */
export function classColorTable(classes: readonly ClassDef[]): Uint8Array {
  const table = new Uint8Array(256 * 4);
  for (let v = 1; v < 256; v++) table.set([160, 160, 160, 255], v * 4);
  for (const c of classes) {
    if (c.value < 1 || c.value > 255) continue;
    const [r, g, b] = parseHexColor(c.color);
    table.set([r, g, b, 255], c.value * 4);
  }
  return table;
}
