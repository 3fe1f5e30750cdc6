/**
 * Child process of crash-durability.test.ts: saves annotation versions through the API as fast as
 * it can and prints "ACK <version> <seed>" after each save is acknowledged, until it is killed.
 * Usage: node --import tsx crash-writer.ts WORKSPACE_DIR IMAGE_ID WIDTH HEIGHT
 */
import { createAppContext } from '../../../src-main/app/app-context';
import { crashMaps } from './crash-maps';

const [dir, imageIdText, widthText, heightText] = process.argv.slice(2);
const imageId = Number(imageIdText);
const width = Number(widthText);
const height = Number(heightText);
const ctx = createAppContext({ mode: 'cli', workspacePath: dir });

let baseVersion = 0;
for (let seed = 1; ; seed++) {
  const maps = crashMaps(width, height, seed);
  const outcome = await ctx.dispatch('annotations.save', { imageId, baseVersion, ...maps, author: 'crash-writer' });
  if (!outcome.ok) {
    process.stdout.write(`ERROR ${JSON.stringify(outcome.error)}\n`);
    process.exit(1);
  }
  const { version } = outcome.value as { version: number };
  baseVersion = version;
  process.stdout.write(`ACK ${version} ${seed}\n`);
}
