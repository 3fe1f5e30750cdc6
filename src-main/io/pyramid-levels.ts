/**
 * The stored level to read for a picture of `minSide` pixels: the smallest reduced-resolution copy
 * (levels listed largest first, as `ImageMetadata.levels`) whose longer side still covers it; 0 (the
 * full image) when none does or the file stores none.
 */
export function storedLevelFor(levels: readonly { width: number; height: number }[] | undefined, minSide: number): number {
  let best = 0;
  (levels ?? []).forEach((l, k) => {
    if (Math.max(l.width, l.height) >= minSide) best = k + 1;
  });
  return best;
}
