import { DEFAULT_LIMITS, imageCorpusSuite } from './image-corpus-suite';

// The full corpus: every targeted case (including legal decodes at the pixel budget that take
// seconds) plus seeded random mutations of every seed and fixture.
imageCorpusSuite({ name: 'image-corpus-full', count: 800, includeSlow: true, batchSize: 100, limits: DEFAULT_LIMITS });
