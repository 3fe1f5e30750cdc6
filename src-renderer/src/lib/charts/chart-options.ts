import type uPlot from 'uplot';

export interface SeriesSpec {
  label: string;
  color: string;
  width?: number;
  dash?: number[];
  /** Draw a marker at each point (for sparse series such as validation). */
  points?: boolean;
  /** Join across missing values (sparse series on a shared x axis). */
  spanGaps?: boolean;
}

export interface ChartSpec {
  series: SeriesSpec[];
  xLabel: string;
  yLabel: string;
  height: number;
  /** Logarithmic y axis (losses span decades). */
  log?: boolean;
  /** Fixed y range, e.g. [0, 1] for IoU. */
  yRange?: [number, number];
}

/** Distinct colours for overlaid runs, readable on the dark theme. */
export const RUN_COLOURS = ['#4aa3ff', '#f2a93b', '#3fb950', '#e05d9a', '#a58bff', '#2ec4c4', '#f85149', '#c9d1d9'];

const AXIS = { stroke: '#9aa3b2', grid: { stroke: '#2a303b', width: 1 }, ticks: { stroke: '#2f3542', width: 1 }, font: '11px system-ui, sans-serif', labelFont: '12px system-ui, sans-serif' };

/** Tick and legend text; uPlot passes null for ticks it hides (log axes) and for missing values. */
export function formatTick(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(0);
  return String(Number(v.toPrecision(3)));
}

/** Whole-number tick steps for the step axis (uPlot would otherwise label 1.5 steps). */
export const STEP_INCREMENTS = [1, 2, 5].flatMap((m) => [1, 10, 100, 1e3, 1e4, 1e5, 1e6].map((p) => m * p)).sort((a, b) => a - b);

/** uPlot options for the app's line charts (dark theme, step x axis). */
export function chartOptions(spec: ChartSpec, width: number): uPlot.Options {
  const yScale: uPlot.Scale = spec.log ? { distr: 3 } : {};
  if (spec.yRange) yScale.range = spec.yRange;
  return {
    width: Math.max(120, Math.floor(width)),
    height: spec.height,
    legend: { show: true, live: true },
    cursor: { drag: { x: true, y: false }, points: { size: 6 } },
    scales: { x: { time: false }, y: yScale },
    axes: [
      { ...AXIS, label: spec.xLabel, size: 40, incrs: STEP_INCREMENTS },
      { ...AXIS, label: spec.yLabel, size: 56, values: (_u, ticks) => ticks.map(formatTick) },
    ],
    series: [
      { label: spec.xLabel, value: (_u, v) => (v === null || v === undefined ? '—' : String(v)) },
      ...spec.series.map(
        (s): uPlot.Series => ({
          label: s.label,
          stroke: s.color,
          width: s.width ?? 1.5,
          dash: s.dash,
          spanGaps: s.spanGaps ?? false,
          points: { show: s.points ?? false, size: 5, fill: s.color },
          value: (_u, v) => formatTick(v) || '—',
        }),
      ),
    ],
  };
}
