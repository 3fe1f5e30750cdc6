import cliProgress from 'cli-progress';
import type { CliIo } from './cli-output';

export interface ProgressUpdate {
  /** 0..100 */
  percent: number;
  /** Short figures after the bar, e.g. "loss 0.31  IoU 0.82  4.1 tiles/s". */
  detail: string;
  etaSeconds?: number;
}

/**
 * Progress on stderr: a live bar on a terminal, otherwise (logs, pipes, CI) one line at most every
 * few seconds so that a long run leaves a readable trace.
 */
export class ProgressDisplay {
  private bar: cliProgress.SingleBar | null = null;
  private lastLine = 0;
  private lastPercent = -1;

  constructor(
    private readonly io: CliIo,
    private readonly label: string,
    private readonly lineIntervalMs = 5000,
  ) {}

  update(update: ProgressUpdate): void {
    const percent = Math.max(0, Math.min(100, update.percent));
    const eta = update.etaSeconds !== undefined && Number.isFinite(update.etaSeconds) ? formatDuration(update.etaSeconds) : '-';
    if (this.io.stderr.isTTY) {
      if (!this.bar) {
        this.bar = new cliProgress.SingleBar(
          {
            format: `${this.label} [{bar}] {percentage}% | {detail} | ETA {etaText}`,
            stream: this.io.stderr,
            barsize: 24,
            hideCursor: true,
            clearOnComplete: false,
            etaBuffer: 1,
          },
          cliProgress.Presets.shades_classic,
        );
        this.bar.start(100, 0, { detail: update.detail, etaText: eta });
      }
      this.bar.update(Math.round(percent * 10) / 10, { detail: update.detail, etaText: eta });
      return;
    }
    const now = Date.now();
    if (now - this.lastLine < this.lineIntervalMs && percent < 100 && percent - this.lastPercent < 25) return;
    this.lastLine = now;
    this.lastPercent = percent;
    this.io.stderr.write(`${this.label} ${percent.toFixed(0).padStart(3)}% | ${update.detail} | ETA ${eta}\n`);
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
