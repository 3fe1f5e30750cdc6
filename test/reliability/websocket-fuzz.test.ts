import { webSocketFuzzSuite } from './websocket-fuzz-suite';

// 1,500 random frames; websocket-fuzz.long.ts sends 20,000 with another seed.
webSocketFuzzSuite({ name: 'websocket-fuzz-quick', frames: 1500, seed: 7 });
