/**
 * Stands in for corpus-read-child.ts in corpus-harness.test.ts, misbehaving on cue (by file name):
 * "crash" dies by SIGKILL, "hang" never answers, "bloat" touches 48 MiB more, "reserve" allocates
 * 2 GiB without touching it (what a reader trusting a declared size does), "throw" reports a raw
 * TypeError; any other file reads cleanly as a 4x4 image.
 */
import { readFileSync } from 'node:fs';
import type { FileResult, OpOutcome } from './corpus-read-child';
import { vmPeakKb } from './process-memory';

const files = JSON.parse(readFileSync(0, 'utf8')) as string[];
const held: Uint8Array[] = [];
for (let index = 0; index < files.length; index++) {
  const file = files[index];
  process.stdout.write(`BEGIN ${index}\n`);
  const vmBefore = vmPeakKb();
  if (file.includes('crash')) process.kill(process.pid, 'SIGKILL');
  if (file.includes('hang')) for (;;);
  if (file.includes('bloat')) held.push(new Uint8Array(48 * 2 ** 20).fill(1));
  if (file.includes('reserve')) held.push(new Uint8Array(2 * 2 ** 30));
  const vmAfter = vmPeakKb();
  const ok: OpOutcome = { op: 'image', ok: true, ms: 1, width: 4, height: 4, channels: 1, frames: 1, dtype: 'uint8', samples: 16 };
  const raw: OpOutcome = { op: 'image', ok: false, ms: 1, unet: false, code: null, message: `${file}: x is undefined`, name: 'TypeError' };
  const result: FileResult = {
    index,
    ops: [file.includes('throw') ? raw : ok],
    maxRssKb: process.resourceUsage().maxRSS,
    vmPeakGrowthKb: vmBefore === null || vmAfter === null ? null : vmAfter - vmBefore,
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}
process.stdout.write('DONE\n');
