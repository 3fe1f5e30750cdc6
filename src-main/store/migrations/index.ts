import { migration001 } from './001-initial';
import { migration002 } from './002-runs-and-results';
import { migration003 } from './003-baseline-evaluations';
import { migration004 } from './004-dataset-plane';
import { migration005 } from './005-annotation-tiles';
import { migration006 } from './006-annotations-from-predictions';
import type { Migration } from './migration';

/** All schema steps, in order. Append only: a released migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export type { Migration } from './migration';
