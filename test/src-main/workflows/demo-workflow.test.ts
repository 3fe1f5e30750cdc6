import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAppContext } from '../../../src-main/app/app-context';
import { readMetadata } from '../../../src-main/engine/model-files';
import { runDemo } from '../../../src-main/workflows/demo';

describe('the demo workflow on the bundled data', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'unet-demo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('trains with the border class and augmentation ranges it is given, records them with the run and the model, and scores the held-out images', async () => {
    const ctx = createAppContext({ mode: 'cli', workspacePath: path.join(dir, 'ws') });
    try {
      const modelDir = path.join(dir, 'model');
      const report = await runDemo(ctx, { minutes: 0.02, preset: 'tiny', backend: 'ort-cpu', borderClass: true, gamma: 0.3, scale: 0.2, modelDir });
      expect(report.status).toBe('succeeded');
      const config = ctx.workspace.current.runs.get(report.runId).config as { borderClass?: boolean; augmentation?: unknown };
      expect(config.borderClass).toBe(true);
      expect(config.augmentation).toMatchObject({ gamma: 0.3, scale: 0.2 });
      expect((await readMetadata(modelDir)).borderClass).toBe(3);
      expect(report.meanIou).not.toBeNull();
    } finally {
      await ctx.close();
    }
  });
});
