import { statSync } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import { UsageError } from './cli-errors';

/** Commander argument parsers: a bad value becomes commander's one-line usage error (exit 2). */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`"${value}" is not a whole number.`);
    if (n < min || n > max) throw new InvalidArgumentError(`must be between ${min} and ${max}, got ${n}.`);
    return n;
  };
}

export function decimal(min: number, max: number, options: { exclusiveMin?: boolean } = {}) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`"${value}" is not a number.`);
    if ((options.exclusiveMin ? n <= min : n < min) || n > max) {
      throw new InvalidArgumentError(`must be ${options.exclusiveMin ? 'above' : 'at least'} ${min} and at most ${max}, got ${n}.`);
    }
    return n;
  };
}

/** A decay in [0, 0.9999], or "off" for 0. */
export function decayOrOff(value: string): number {
  return value === 'off' ? 0 : decimal(0, 0.9999)(value);
}

/** A whole factor 1..max, or "auto". */
export function factorOrAuto(max: number) {
  return (value: string): number | 'auto' => (value === 'auto' ? 'auto' : integer(1, max)(value));
}

export function choice<T extends string>(values: readonly T[]) {
  return (value: string): T => {
    if (!(values as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${values.join(', ')}.`);
    return value as T;
  };
}

/** "I/N": the I-th (1-based) of N slices. */
export interface Shard {
  index: number;
  count: number;
}

export function shard(value: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count) throw new InvalidArgumentError(`"${value}" is not I/N with 1 <= I <= N (e.g. 3/8).`);
  return { index, count };
}

function statOf(p: string) {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}

/** An existing folder, resolved; otherwise a usage error naming the option. */
export function requireFolder(value: string | undefined, option: string): string {
  if (!value) throw new UsageError(`${option} is required`);
  const resolved = path.resolve(value);
  const stat = statOf(resolved);
  if (!stat) throw new UsageError(`${option} ${value}: no such folder`);
  if (!stat.isDirectory()) throw new UsageError(`${option} ${value}: is a file, not a folder`);
  return resolved;
}

export function requireFile(value: string | undefined, option: string): string {
  if (!value) throw new UsageError(`${option} is required`);
  const resolved = path.resolve(value);
  const stat = statOf(resolved);
  if (!stat) throw new UsageError(`${option} ${value}: no such file`);
  if (!stat.isFile()) throw new UsageError(`${option} ${value}: is a folder, not a file`);
  return resolved;
}

/** A folder to write into: created when missing, refused when it is a file. */
export function outputFolder(value: string | undefined, option: string): string {
  if (!value) throw new UsageError(`${option} is required`);
  const resolved = path.resolve(value);
  const stat = statOf(resolved);
  if (stat && !stat.isDirectory()) throw new UsageError(`${option} ${value}: is a file, not a folder`);
  return resolved;
}
