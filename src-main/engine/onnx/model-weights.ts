import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UnetError } from '../../../src-shared/contract/errors';

/** One named weight tensor as stored by tfjs (NHWC conventions, row-major). */
export interface StoredWeight {
  shape: number[];
  data: Float32Array;
}

interface ManifestEntry {
  name: string;
  shape: number[];
  dtype?: string;
  quantization?: unknown;
}

interface ManifestGroup {
  paths: string[];
  weights: ManifestEntry[];
}

/**
 * Reads every weight of a tfjs layers-format model folder straight from model.json's weightsManifest and
 * its binary shards, without loading tfjs: inference and export must work where tfjs is not even installed.
 */
export async function readModelWeights(modelDir: string): Promise<Map<string, StoredWeight>> {
  const manifest = await readManifest(modelDir);
  const weights = new Map<string, StoredWeight>();
  for (const group of manifest) {
    const buffer = await readShards(modelDir, group.paths);
    let offset = 0;
    for (const entry of group.weights) {
      if (entry.quantization !== undefined || (entry.dtype !== undefined && entry.dtype !== 'float32')) {
        throw new UnetError('UNSUPPORTED', `weight ${entry.name} is stored as ${entry.dtype ?? 'quantized'}; only float32 is supported`);
      }
      const count = entry.shape.reduce((a, b) => a * b, 1);
      const bytes = count * 4;
      if (offset + bytes > buffer.byteLength) {
        throw new UnetError('CORRUPT', `weights file ends before ${entry.name} (needs ${offset + bytes} bytes, has ${buffer.byteLength})`, {
          modelDir,
        });
      }
      // Copy into an aligned array: the shard offset need not be a multiple of 4.
      const data = new Float32Array(count);
      new Uint8Array(data.buffer).set(buffer.subarray(offset, offset + bytes));
      weights.set(entry.name, { shape: entry.shape.slice(), data });
      offset += bytes;
    }
    if (offset !== buffer.byteLength) {
      throw new UnetError('CORRUPT', `weights file holds ${buffer.byteLength} bytes but the manifest describes ${offset}`, { modelDir });
    }
  }
  return weights;
}

/** The raw modelTopology of model.json, for readers that need layer details (e.g. concatenation order). */
export async function readModelTopology(modelDir: string): Promise<unknown> {
  const json = await readModelJson(modelDir);
  return json.modelTopology;
}

async function readModelJson(modelDir: string): Promise<Record<string, unknown>> {
  const file = path.join(modelDir, 'model.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UnetError(code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR', `cannot read ${file}: ${(error as Error).message}`, { file });
  }
  try {
    const json: unknown = JSON.parse(text);
    if (!json || typeof json !== 'object') throw new Error('not an object');
    return json as Record<string, unknown>;
  } catch (error) {
    throw new UnetError('CORRUPT', `${file} is not valid JSON: ${(error as Error).message}`, { file });
  }
}

async function readManifest(modelDir: string): Promise<ManifestGroup[]> {
  const json = await readModelJson(modelDir);
  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest)) throw new UnetError('CORRUPT', `model.json in ${modelDir} has no weightsManifest`, { modelDir });
  for (const group of manifest as ManifestGroup[]) {
    const ok =
      group &&
      Array.isArray(group.paths) &&
      group.paths.every((p) => typeof p === 'string') &&
      Array.isArray(group.weights) &&
      group.weights.every(
        (w) => w && typeof w.name === 'string' && Array.isArray(w.shape) && w.shape.every((d) => Number.isInteger(d) && d >= 0),
      );
    if (!ok) throw new UnetError('CORRUPT', `model.json in ${modelDir} has a malformed weightsManifest entry`, { modelDir });
  }
  return manifest as ManifestGroup[];
}

async function readShards(modelDir: string, paths: string[]): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (const rel of paths) {
    const file = path.resolve(modelDir, rel);
    // A manifest must not reach outside its own folder.
    if (path.relative(path.resolve(modelDir), file).startsWith('..')) {
      throw new UnetError('CORRUPT', `weights path ${rel} leaves the model folder`, { modelDir });
    }
    try {
      parts.push(await readFile(file));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UnetError(code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR', `cannot read weights ${file}: ${(error as Error).message}`, {
        file,
      });
    }
  }
  if (parts.length === 1) return parts[0];
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    joined.set(p, offset);
    offset += p.byteLength;
  }
  return joined;
}

/** Finds `LAYER/kernel` (or a scoped `.../LAYER/kernel`) and checks its shape. */
export function requireWeight(weights: Map<string, StoredWeight>, name: string, shape: number[]): StoredWeight {
  let found = weights.get(name);
  if (!found) {
    for (const [key, value] of weights) {
      if (key.endsWith(`/${name}`)) {
        found = value;
        break;
      }
    }
  }
  if (!found) throw new UnetError('CORRUPT', `model weights lack ${name}`, { name });
  if (found.shape.length !== shape.length || found.shape.some((d, i) => d !== shape[i])) {
    throw new UnetError('CORRUPT', `weight ${name} has shape [${found.shape.join(', ')}], expected [${shape.join(', ')}]`, { name });
  }
  return found;
}
