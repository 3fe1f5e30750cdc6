import { UnetError } from '../../src-shared/contract/errors';
import { BACKGROUND_CLASS, type ClassDef, type DatasetDetail, type DatasetSummary } from '../../src-shared/contract/records';
import type { ImagePlane } from '../../src-shared/imaging/image-plane';
import { nowIso } from './clock';
import type { Db } from './database';
import { defaultPalette, validatePalette } from './palette';

interface DatasetRow {
  id: number;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
  plane_c: number | null;
  plane_z: number;
  plane_t: number;
  image_count: number;
  annotated_count: number;
  train_count: number;
  validation_count: number;
  test_count: number;
}

const SUMMARY_SQL = `
  SELECT d.id, d.name, d.description, d.created_at, d.updated_at, d.plane_c, d.plane_z, d.plane_t,
         count(i.id) AS image_count,
         count(i.latest_annotation_id) AS annotated_count,
         coalesce(sum(i.split = 'train'), 0) AS train_count,
         coalesce(sum(i.split = 'validation'), 0) AS validation_count,
         coalesce(sum(i.split = 'test'), 0) AS test_count
  FROM datasets d LEFT JOIN images i ON i.dataset_id = d.id`;

function toSummary(row: DatasetRow): DatasetSummary {
  const assigned = row.train_count + row.validation_count + row.test_count;
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    imageCount: row.image_count,
    annotatedCount: row.annotated_count,
    splitCounts: { train: row.train_count, validation: row.validation_count, test: row.test_count, none: row.image_count - assigned },
    plane: { c: row.plane_c, z: row.plane_z, t: row.plane_t },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export interface NewDataset {
  name: string;
  description?: string;
  classes?: ClassDef[];
  plane?: ImagePlane;
}

/** Data sets and their class palettes. */
export class DatasetsRepository {
  constructor(private readonly db: Db) {}

  list(): DatasetSummary[] {
    const rows = this.db.prepare(`${SUMMARY_SQL} GROUP BY d.id ORDER BY d.name, d.id`).all() as DatasetRow[];
    return rows.map(toSummary);
  }

  find(id: number): DatasetDetail | null {
    const row = this.db.prepare(`${SUMMARY_SQL} WHERE d.id = ? GROUP BY d.id`).get(id) as DatasetRow | undefined;
    return row ? { ...toSummary(row), classes: this.classes(id) } : null;
  }

  get(id: number): DatasetDetail {
    const found = this.find(id);
    if (!found) throw new UnetError('NOT_FOUND', `no data set with id ${id}`, { datasetId: id });
    return found;
  }

  findByName(name: string): DatasetDetail | null {
    const row = this.db.prepare('SELECT id FROM datasets WHERE name = ?').get(name.trim()) as { id: number } | undefined;
    return row ? this.find(row.id) : null;
  }

  create(input: NewDataset): DatasetDetail {
    const name = checkName(input.name);
    const classes = validatePalette(input.classes ?? defaultPalette());
    const time = nowIso();
    const id = this.db.transaction(() => {
      let newId: number;
      try {
        newId = Number(
          this.db
            .prepare('INSERT INTO datasets (name, description, plane_c, plane_z, plane_t, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
            .run(name, input.description ?? '', input.plane?.c ?? null, input.plane?.z ?? 0, input.plane?.t ?? 0, time, time).lastInsertRowid,
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw new UnetError('CONFLICT', `a data set named "${name}" already exists`, { name });
        throw error;
      }
      this.writeClasses(newId, classes);
      return newId;
    }).immediate();
    return this.get(id);
  }

  update(id: number, changes: { name?: string; description?: string }): DatasetDetail {
    this.get(id);
    const name = changes.name === undefined ? undefined : checkName(changes.name);
    try {
      this.db
        .prepare('UPDATE datasets SET name = coalesce(?, name), description = coalesce(?, description), updated_at = ? WHERE id = ?')
        .run(name ?? null, changes.description ?? null, nowIso(), id);
    } catch (error) {
      if (isUniqueViolation(error)) throw new UnetError('CONFLICT', `a data set named "${name}" already exists`, { name });
      throw error;
    }
    return this.get(id);
  }

  /** Deletes the data set with its images, annotations and runs (the caller decides whether that is wanted). */
  delete(id: number): void {
    this.get(id);
    this.db.prepare('DELETE FROM datasets WHERE id = ?').run(id);
  }

  /** The plane of the data set's images that is shown, annotated, trained on and segmented. */
  plane(id: number): ImagePlane {
    const row = this.db.prepare('SELECT plane_c, plane_z, plane_t FROM datasets WHERE id = ?').get(id) as Pick<DatasetRow, 'plane_c' | 'plane_z' | 'plane_t'> | undefined;
    if (!row) throw new UnetError('NOT_FOUND', `no data set with id ${id}`, { datasetId: id });
    return { c: row.plane_c, z: row.plane_z, t: row.plane_t };
  }

  setPlane(id: number, plane: ImagePlane): DatasetDetail {
    this.get(id);
    this.db.prepare('UPDATE datasets SET plane_c = ?, plane_z = ?, plane_t = ?, updated_at = ? WHERE id = ?').run(plane.c, plane.z, plane.t, nowIso(), id);
    return this.get(id);
  }

  runCount(id: number): number {
    return (this.db.prepare('SELECT count(*) AS n FROM runs WHERE dataset_id = ?').get(id) as { n: number }).n;
  }

  classes(id: number): ClassDef[] {
    return this.db.prepare('SELECT value, name, color FROM dataset_classes WHERE dataset_id = ? ORDER BY value').all(id) as ClassDef[];
  }

  setClasses(id: number, classes: ClassDef[]): ClassDef[] {
    const valid = validatePalette(classes);
    this.get(id);
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM dataset_classes WHERE dataset_id = ?').run(id);
      this.writeClasses(id, valid);
      this.touch(id);
    }).immediate();
    return this.classes(id);
  }

  /** Adds a class if its value is not in the palette yet (imports need class 2 to exist). */
  ensureClass(id: number, cls: ClassDef): void {
    const withBackground = cls.value === BACKGROUND_CLASS ? [cls] : [{ value: BACKGROUND_CLASS, name: 'background', color: '#000000' }, cls];
    const valid = validatePalette(withBackground).find((c) => c.value === cls.value) as ClassDef;
    this.db.prepare('INSERT OR IGNORE INTO dataset_classes (dataset_id, value, name, color) VALUES (?, ?, ?, ?)').run(id, valid.value, valid.name, valid.color);
  }

  touch(id: number): void {
    this.db.prepare('UPDATE datasets SET updated_at = ? WHERE id = ?').run(nowIso(), id);
  }

  private writeClasses(id: number, classes: ClassDef[]): void {
    const insert = this.db.prepare('INSERT INTO dataset_classes (dataset_id, value, name, color) VALUES (?, ?, ?, ?)');
    for (const c of classes) insert.run(id, c.value, c.name, c.color);
  }
}

function checkName(name: string): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed.length === 0 || trimmed.length > 200) throw new UnetError('INVALID_ARGUMENT', 'a data set name needs 1..200 characters');
  return trimmed;
}
