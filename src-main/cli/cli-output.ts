/**
 * Where a command writes: results go to stdout (as JSON with --json, as text otherwise), progress and
 * notes to stderr, so that `--json` output can be piped into another program untouched.
 */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

export interface GlobalOptions {
  workspace?: string;
  json?: boolean;
  verbose?: boolean;
}

export class CliOutput {
  constructor(
    readonly io: CliIo,
    readonly options: GlobalOptions,
  ) {}

  get json(): boolean {
    return this.options.json === true;
  }

  /** A line of the human-readable result (suppressed with --json). */
  line(text = ''): void {
    if (!this.json) this.io.stdout.write(`${text}\n`);
  }

  /** The machine-readable result: written once, with --json only. */
  result(value: unknown): void {
    if (this.json) this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** A note for the person at the terminal (stderr, also with --json). */
  note(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }

  debug(text: string): void {
    if (this.options.verbose) this.io.stderr.write(`${text}\n`);
  }
}

/** Fixed-width table rows for the terminal. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

/** A metric for a table cell: 4 decimals, '-' when undefined. */
export function formatMetric(value: number | null | undefined, digits = 4): string {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '-';
}
