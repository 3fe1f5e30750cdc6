/** A finite number, else null: a NaN or infinite loss or metric is stored as missing. */
export function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
