/**
 * The daemon's state (agents, inbox, approvals, audit log) in one JSON file. Validated when loaded
 * and before every write; updates are queued and each lands atomically. Only the daemon writes.
 */
import { link, mkdir, open, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Low, type Adapter } from 'lowdb';
import { MIGRATIONS, migrate, type Migration } from './migrations.ts';
import { describeIssue } from '../errors.ts';
import { emptyState, stateSchema, StoreError, type DeepReadonly, type State } from './state.ts';

/** An update that would leave the state invalid: a bug in the caller, refused before any write. */
export class InvalidStateError extends Error {}

export interface OpenOptions {
  /** Upgrades from older schemaVersions (default: drover's own). */
  migrations?: readonly Migration[];
}

/**
 * lowdb adapter for the state file. Reads parse, migrate and validate (a bad file is a StoreError).
 * Writes are its own rather than lowdb's JSONFile (steno): steno can give the file no mode (the
 * state holds agents' environments: 0600) and does not fsync before the rename.
 */
class StateFile implements Adapter<State> {
  readonly #tmp: string;
  /** The file as this process last read or wrote it (undefined: there was none). */
  #known: FileIdentity | undefined;
  /** Told when a file someone else put in place was moved aside before a write. */
  onForeign: ((aside: string) => void) | undefined;

  constructor(
    readonly file: string,
    readonly migrations: readonly Migration[],
  ) {
    this.#tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  }

  async read(): Promise<State | null> {
    let text: string;
    try {
      const identity = await identify(this.file);
      text = await readFile(this.file, 'utf8');
      this.#known = identity;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      // V8 quotes the bad text, newlines and all: keep the message to one line.
      throw new StoreError(this.file, `not valid JSON (${(error as Error).message.replace(/\s+/g, ' ')})`);
    }
    const result = stateSchema.safeParse(migrate(this.file, raw, this.migrations));
    if (!result.success) throw new StoreError(this.file, describeIssue(result.error));
    return result.data;
  }

  async write(state: State): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    // A temp file left by a crash goes; `wx` then creates a fresh one with our mode (no symlink followed).
    await rm(this.#tmp, { force: true });
    const handle = await open(this.#tmp, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(state, null, 2)}\n`);
      // On disk before the rename makes it the state: a crash leaves the old file or the new one.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await this.#keepForeign();
    await rename(this.#tmp, this.file);
    this.#known = await identify(this.file);
  }

  /**
   * A file in place that is not the one this process last read or wrote (replaced by hand, by a
   * restore, by another drover) is moved aside as `<file>.foreign-<ISO time>`, never overwritten.
   */
  async #keepForeign(): Promise<void> {
    let now: FileIdentity;
    try {
      now = await identify(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // removed: nothing to keep
      throw error;
    }
    if (this.#known && sameFile(now, this.#known)) return;
    const aside = `${this.file}.foreign-${new Date().toISOString()}`;
    await link(this.file, aside); // unlike rename, fails rather than replace an existing file
    await unlink(this.file);
    this.onForeign?.(aside);
  }
}

interface FileIdentity {
  dev: number;
  ino: number;
  size: number;
  mtimeNs: bigint;
}

async function identify(file: string): Promise<FileIdentity> {
  const s = await stat(file, { bigint: true });
  return { dev: Number(s.dev), ino: Number(s.ino), size: Number(s.size), mtimeNs: s.mtimeNs };
}

function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Why the state file cannot be written now (a full disk, a read-only folder), and since when (epoch ms). */
export interface WriteProblem {
  message: string;
  since: number;
}

interface QueuedUpdate {
  fn: (draft: State) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class Store {
  readonly #low: Low<State>;
  /** Updates waiting for the next write. */
  #queued: QueuedUpdate[] = [];
  /** The write loop, while one runs. */
  #writing: Promise<void> | undefined;
  #writeProblem: WriteProblem | undefined;
  readonly #writeProblemListeners = new Set<(problem: WriteProblem | undefined) => void>();

  private constructor(
    readonly file: string,
    low: Low<State>,
    private readonly stateFile: StateFile,
  ) {
    this.#low = low;
  }

  /**
   * Called with the path a foreign state file was kept at: one replaced while this store held it,
   * moved aside before the next write rather than overwritten.
   */
  onForeignFile(listener: (aside: string) => void): void {
    this.stateFile.onForeign = listener;
  }

  /** Loads `file` (missing: an empty state, written on the first update); a bad file is a StoreError. */
  static async open(file: string, { migrations = MIGRATIONS }: OpenOptions = {}): Promise<Store> {
    const stateFile = new StateFile(file, migrations);
    const low = new Low<State>(stateFile, emptyState());
    await low.read();
    deepFreeze(low.data);
    return new Store(file, low, stateFile);
  }

  /**
   * Moves a file drover refused to `<file>.corrupt-<ISO time>` and returns that path (undefined when
   * there was no file). Never deletes or overwrites anything.
   */
  static async resetFile(file: string): Promise<string | undefined> {
    const aside = `${file}.corrupt-${new Date().toISOString()}`;
    try {
      await link(file, aside); // unlike rename, fails rather than replace an existing file
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    await unlink(file);
    return aside;
  }

  /** Set while writes fail (the last write failed); cleared by the next write that lands. */
  writeProblem(): WriteProblem | undefined {
    return this.#writeProblem;
  }

  /** Told when writes start failing (or fail for another reason) and when one lands again (undefined). */
  onWriteProblem(listener: (problem: WriteProblem | undefined) => void): () => void {
    this.#writeProblemListeners.add(listener);
    return () => this.#writeProblemListeners.delete(listener);
  }

  #setWriteProblem(problem: WriteProblem | undefined): void {
    if (problem?.message === this.#writeProblem?.message) return;
    this.#writeProblem = problem;
    for (const listener of this.#writeProblemListeners) listener(problem);
  }

  /** The current state, frozen: changes go through `update`. */
  read(): DeepReadonly<State> {
    return this.#low.data;
  }

  /**
   * Applies `fn` to a copy of the state, validates the result and writes it; only then does `read`
   * see it, and the promise resolve. `fn` must be synchronous. An invalid result throws
   * InvalidStateError, changing nothing. Updates apply in call order; those that queue up while a
   * write is under way land together in the next write (one fsync for a burst, not one each).
   */
  update<T>(fn: (draft: State) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queued.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      this.#startWriting();
    });
  }

  #startWriting(): void {
    if (this.#writing) return;
    this.#writing = this.#writeQueued().finally(() => {
      this.#writing = undefined;
      // Queued after the loop's last look, before this: the loop has ended, so start another.
      if (this.#queued.length > 0) this.#startWriting();
    });
  }

  /** Resolves once every update queued so far has landed (or failed). */
  async idle(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  async #writeQueued(): Promise<void> {
    while (this.#queued.length > 0) {
      const batch = this.#queued.splice(0);
      let next = this.#low.data;
      const applied: Array<{ update: QueuedUpdate; value: unknown }> = [];
      for (const update of batch) {
        try {
          const draft = structuredClone(next) as State;
          const value = update.fn(draft);
          if (value instanceof Promise) throw new InvalidStateError('Store.update: the update function must be synchronous');
          const result = stateSchema.safeParse(draft);
          if (!result.success) throw new InvalidStateError(`refusing to write ${this.file}: ${describeIssue(result.error)}`);
          next = deepFreeze(result.data);
          applied.push({ update, value });
        } catch (error) {
          update.reject(error);
        }
      }
      if (applied.length === 0) continue;
      try {
        await this.#low.adapter.write(next);
      } catch (error) {
        const message = error instanceof Error ? error.message.replace(/\s+/g, ' ') : String(error);
        this.#setWriteProblem({ message, since: this.#writeProblem?.since ?? Date.now() });
        for (const { update } of applied) update.reject(error);
        continue;
      }
      this.#setWriteProblem(undefined);
      this.#low.data = next;
      for (const { update, value } of applied) update.resolve(value);
    }
  }
}
