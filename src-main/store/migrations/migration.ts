import type { Db } from '../database';

/** One numbered schema step. `up` runs inside a transaction together with the version bump. */
export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
}
