import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../../src-main/store/database';
import { migrate } from '../../../../src-main/store/migrate';

describe('migration 004-dataset-plane', () => {
  let db: Db;
  beforeEach(() => {
    db = openDatabase(':memory:');
    migrate(db, 3);
    db.prepare("INSERT INTO datasets (id, name, created_at, updated_at) VALUES (1, 'cells', 't', 't')").run();
    migrate(db, 4);
  });
  afterEach(() => db.close());

  it('gives existing data sets the first plane, as earlier versions read them', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    expect(db.prepare('SELECT name, plane_c, plane_z, plane_t FROM datasets').get()).toEqual({ name: 'cells', plane_c: null, plane_z: 0, plane_t: 0 });
  });

  it('keeps plane positions non-negative', () => {
    db.prepare('UPDATE datasets SET plane_c = 1, plane_z = 2, plane_t = 1 WHERE id = 1').run();
    expect(() => db.prepare('UPDATE datasets SET plane_z = -1 WHERE id = 1').run()).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE datasets SET plane_c = -1 WHERE id = 1').run()).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE datasets SET plane_t = NULL WHERE id = 1').run()).toThrow(/NOT NULL/);
  });
});
