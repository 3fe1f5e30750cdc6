import { webSocketFuzzSuite } from './websocket-fuzz-suite';

webSocketFuzzSuite({ name: 'websocket-fuzz-full', frames: 20_000, seed: 2015 });
