/** Durations as a lab user reads them: "42 s", "3 min 05 s", "1 h 02 min"; "—" when unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h < 48) return `${h} h ${String(m).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** Estimated time left; the first steps include warm-up, so no estimate is shown before a few of them. */
export function formatEta(etaSeconds: number | null | undefined, step: number): string {
  if (step < 2) return 'estimating…';
  return formatDuration(etaSeconds);
}

export function formatRate(tilesPerSecond: number | null | undefined): string {
  if (tilesPerSecond === null || tilesPerSecond === undefined || !Number.isFinite(tilesPerSecond) || tilesPerSecond <= 0) return '—';
  if (tilesPerSecond >= 10) return `${tilesPerSecond.toFixed(0)} tiles/s`;
  if (tilesPerSecond >= 1) return `${tilesPerSecond.toFixed(1)} tiles/s`;
  return `${(1 / tilesPerSecond).toFixed(1)} s/tile`;
}
