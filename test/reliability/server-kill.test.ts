import { serverKillSuite } from './server-kill-suite';

// Quick variant: one kill after 200 acknowledged saves. server-kill.long.ts kills it five times.
serverKillSuite({ name: 'server-kill-quick', kills: 1, acksPerKill: 200, images: 4 });
