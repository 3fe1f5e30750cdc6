import { readFileSync } from 'node:fs';

/** Peak virtual memory of this process, KiB; null where /proc is not there (not Linux). */
export function vmPeakKb(): number | null {
  try {
    const match = /VmPeak:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}
