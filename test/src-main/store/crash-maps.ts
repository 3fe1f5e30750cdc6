/** Deterministic, poorly compressible annotation maps for a seed (shared by the crash writer and its test). */
export function crashMaps(width: number, height: number, seed: number): { classMap: Uint8Array; instanceMap: Uint32Array } {
  let state = seed * 0x9e3779b1;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x ^= x + Math.imul(x ^ (x >>> 7), 61 | x);
    return (x ^ (x >>> 14)) >>> 0;
  };
  const classMap = new Uint8Array(width * height);
  const instanceMap = new Uint32Array(width * height);
  for (let i = 0; i < classMap.length; i++) {
    const r = next();
    classMap[i] = r % 3;
    instanceMap[i] = classMap[i] === 2 ? 1 + (r >>> 8) % 50 : 0;
  }
  return { classMap, instanceMap };
}
