/**
 * Watches config.json for changes, as an editor makes them (written in place, or a new file renamed
 * over it): the folder is watched, since a renamed-over file is a new inode a file watch would miss.
 */
import { watch } from 'node:fs';
import path from 'node:path';

/** Editors write in bursts (truncate, write, rename): one reload once they are done. */
const SETTLE_MS = 200;

/** Calls `changed` after the file changes; returns the stop. A folder that does not exist is not watched (`drover daemon reload` still works). */
export function watchConfig(file: string, changed: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  let watcher;
  try {
    watcher = watch(path.dirname(file), (_event, name) => {
      if (name !== path.basename(file)) return;
      clearTimeout(timer);
      timer = setTimeout(changed, SETTLE_MS);
    });
  } catch {
    return () => {};
  }
  watcher.on('error', () => watcher.close());
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
