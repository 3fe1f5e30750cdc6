import { serverKillSuite } from './server-kill-suite';

// Five kills, each after at least 1,000 more acknowledged saves, on the same workspace.
serverKillSuite({ name: 'server-kill-full', kills: 5, acksPerKill: 1000, images: 4 });
