/**
 * Tab in the spawn dialog's folder field, as a shell completes a folder: the one folder whose name
 * starts with what is typed after the last `/` (with a `/` after it), or as much as all such
 * folders share, and those folders to choose from. Read from this machine's disk.
 */
import { readdirSync, statSync, type Dirent } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Completion {
  /** The field's new text (the same when nothing completes). */
  value: string;
  /** The folders it could still be, when more than one (names only). */
  candidates: string[];
}

/** Completes `typed`, a folder relative to `base` (`~` is the home folder). */
export function completeFolder(typed: string, base: string): Completion {
  const cut = typed.lastIndexOf('/') + 1;
  const typedDir = typed.slice(0, cut);
  const prefix = typed.slice(cut);
  const names = subfolders(resolveFolder(typedDir || '.', base)).filter(
    // Hidden folders only when asked for, as shells do.
    (name) => name.startsWith(prefix) && (prefix.startsWith('.') || !name.startsWith('.')),
  );
  if (names.length === 0) return { value: typed, candidates: [] };
  if (names.length === 1) return { value: `${typedDir}${names[0]}/`, candidates: [] };
  return { value: typedDir + sharedStart(names), candidates: names.sort() };
}

/** `value` as an absolute folder: `~` is the home folder, a relative one is under `base`. */
export function resolveFolder(value: string, base: string): string {
  const folder = value.trim() || base;
  return folder === '~' || folder.startsWith('~/') ? path.join(os.homedir(), folder.slice(1)) : path.resolve(base, folder);
}

function subfolders(dir: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return []; // not a folder, or not readable: nothing to offer
  }
  return entries.filter((entry) => entry.isDirectory() || (entry.isSymbolicLink() && isFolder(path.join(dir, entry.name)))).map((entry) => entry.name);
}

function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function sharedStart(names: string[]): string {
  let shared = names[0]!;
  for (const name of names) while (!name.startsWith(shared)) shared = shared.slice(0, -1);
  return shared;
}
