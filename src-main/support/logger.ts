import type { LogEntry } from '../../src-shared/contract/system';

const KEPT = 1000;

/** Application log: kept in a ring for `system.recentLogs` and published as `system.log` events. */
export class Logger {
  private readonly entries: LogEntry[] = [];

  constructor(private readonly publish: (entry: LogEntry) => void, private readonly echo = false) {}

  log(level: LogEntry['level'], message: string, source?: string): void {
    const entry: LogEntry = { level, message, time: new Date().toISOString(), ...(source ? { source } : {}) };
    this.entries.push(entry);
    if (this.entries.length > KEPT) this.entries.splice(0, this.entries.length - KEPT);
    if (this.echo) process.stderr.write(`[${entry.level}] ${source ? `${source}: ` : ''}${message}\n`);
    this.publish(entry);
  }

  info(message: string, source?: string): void {
    this.log('info', message, source);
  }

  warn(message: string, source?: string): void {
    this.log('warn', message, source);
  }

  error(message: string, source?: string): void {
    this.log('error', message, source);
  }

  recent(limit: number): LogEntry[] {
    return this.entries.slice(-limit);
  }
}
