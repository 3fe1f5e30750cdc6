import { DEFAULT_LIMITS, imageCorpusSuite } from './image-corpus-suite';

// The quick corpus for every test run: every family of damage, sampled evenly. The full corpus
// (800 files, slow cases included) is image-corpus.long.ts, run by `npm run test:reliability`.
imageCorpusSuite({ name: 'image-corpus-quick', count: 150, includeSlow: false, batchSize: 75, limits: DEFAULT_LIMITS });
