/**
 * Upgrades a state file written by an older drover to the current `schemaVersion`, one version at
 * a time. The result is validated by the caller like any other file.
 */
import { SCHEMA_VERSION, StoreError } from './state.ts';

export type Doc = Record<string, unknown>;

/** Turns a document at `schemaVersion: from` into one at `from + 1` (which it need not set). */
export interface Migration {
  from: number;
  migrate(doc: Doc): Doc;
}

/** One step per older schemaVersion (version 1 is the first drover wrote). */
export const MIGRATIONS: readonly Migration[] = [
  // 2: the spawn dialog's folder per provider (messages gained optional fields only).
  { from: 1, migrate: (doc) => ({ ...doc, spawnFolders: {} }) },
];

/** Returns `raw` at the current schemaVersion, or throws a StoreError naming `file`. */
export function migrate(file: string, raw: unknown, migrations: readonly Migration[] = MIGRATIONS): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !('schemaVersion' in raw)) {
    throw new StoreError(file, 'not a drover state file (no schemaVersion)');
  }
  let doc = raw as Doc;
  let version = doc.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw new StoreError(file, `schemaVersion: expected an integer, got ${JSON.stringify(version)}`);
  }
  if (version > SCHEMA_VERSION) {
    throw new StoreError(
      file,
      `written by a newer drover (schemaVersion ${version}; this drover knows up to ${SCHEMA_VERSION})`,
      'upgrade drover, or run "drover daemon --reset-store" to move it aside',
    );
  }
  while (version < SCHEMA_VERSION) {
    const step = migrations.find((m) => m.from === version);
    if (!step) throw new StoreError(file, `schemaVersion ${version} is not one drover can read`);
    version += 1;
    doc = { ...step.migrate(doc), schemaVersion: version };
  }
  return doc;
}
