import type { CheckpointRecord, CurvePoint, RunStart, RunStatus } from '../../../../src-shared/contract/records';
import { validationIouOf } from '../charts/curve-series';

/** "tiny · depth 2 · 8 ch · tile 92 · 200 steps · adam 1e-3" from a run's recorded config. */
export function configSummary(config: Record<string, unknown>): string {
  const num = (k: string) => (typeof config[k] === 'number' ? (config[k] as number) : undefined);
  const parts: string[] = [];
  if (typeof config.preset === 'string') parts.push(config.preset);
  if (num('depth') !== undefined) parts.push(`depth ${num('depth')}`);
  if (num('baseChannels') !== undefined) parts.push(`${num('baseChannels')} ch`);
  if (num('tile') !== undefined) parts.push(`tile ${num('tile')}`);
  if (num('steps') !== undefined) parts.push(`${num('steps')} steps`);
  if (num('minutes') !== undefined) parts.push(`${num('minutes')} min`);
  const lr = num('learningRate');
  if (typeof config.optimizer === 'string' || lr !== undefined) parts.push([config.optimizer, lr !== undefined ? formatLearningRate(lr) : ''].filter(Boolean).join(' '));
  return parts.join(' · ');
}

export function formatLearningRate(lr: number): string {
  if (!Number.isFinite(lr)) return String(lr);
  const exponent = Math.floor(Math.log10(lr));
  const mantissa = lr / 10 ** exponent;
  return Math.abs(mantissa - Math.round(mantissa)) < 1e-9 ? `${Math.round(mantissa)}e${exponent}` : lr.toPrecision(3);
}

/** Config entries for the detail panel, known keys first in a readable order. */
export function configEntries(config: Record<string, unknown>): [string, string][] {
  const order = ['preset', 'depth', 'baseChannels', 'tile', 'outputTile', 'steps', 'minutes', 'learningRate', 'optimizer', 'momentum', 'w0', 'sigma', 'elastic', 'seed', 'backend'];
  const keys = Object.keys(config).sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    return (ia < 0 ? order.length : ia) - (ib < 0 ? order.length : ib) || a.localeCompare(b);
  });
  return keys.map((k) => [k, formatValue(config[k])]);
}

function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export interface BestValue {
  value: number;
  step: number;
}

/** Best validation IoU of a run: from its curve, else from the checkpoints that recorded one. */
export function bestValidationIou(points: readonly CurvePoint[], checkpoints: readonly CheckpointRecord[] = []): BestValue | null {
  let best: BestValue | null = null;
  for (const p of points) {
    const v = validationIouOf(p);
    if (v !== null && (!best || v > best.value)) best = { value: v, step: p.step };
  }
  if (best) return best;
  for (const c of checkpoints) {
    if (c.metricValue === null || !/iou/i.test(c.metricName ?? '')) continue;
    if (!best || c.metricValue > best.value) best = { value: c.metricValue, step: c.step };
  }
  return best;
}

export function statusTone(status: RunStatus): 'ok' | 'running' | 'warn' | 'error' {
  switch (status) {
    case 'succeeded':
      return 'ok';
    case 'queued':
    case 'running':
      return 'running';
    case 'cancelled':
    case 'interrupted':
      return 'warn';
    case 'failed':
      return 'error';
  }
}

/** Local date and time, minute precision, sortable: "2026-03-14 09:26". */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * Where a run's weights came from, for its details: "from run #1 (tiny) at step 40 ← starter nuclei";
 * null for random initialisation.
 */
export function lineageText(lineage: readonly RunStart[]): string | null {
  if (lineage.length === 0) return null;
  const [first, ...earlier] = lineage;
  return [`from ${first.label} at step ${first.step}`, ...earlier.map((s) => s.label)].join(' ← ');
}
