import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { acquireDaemonLock, LockError, removeStaleSocket } from '../../src/store/lock.ts';

const root = mkdtempSync(path.join(tmpdir(), 'drover-lock-'));
const LOCK_MODULE = path.resolve(import.meta.dirname, '../../src/store/lock.ts');

let seq = 0;
function freshDir(): string {
  const dir = path.join(root, `case-${++seq}`);
  mkdirSync(dir, { mode: 0o700 });
  return dir;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Starts a real node process running the ES module `script` and waits for it to print `ready`. */
async function startChild(script: string, env: Record<string, string>, { typescript = false } = {}): Promise<ChildProcess> {
  const loader = typescript ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...loader, '--input-type=module', '-e', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
  });
  return child;
}

/** Kills with SIGKILL (no cleanup runs, like a crash) and waits until the process is reaped. */
async function crash(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('daemon lock', () => {
  it('refuses while a live process holds it, and takes it over once that process is dead', async () => {
    const dir = freshDir();
    const holder = await startChild(
      `const { acquireDaemonLock } = await import(${JSON.stringify(LOCK_MODULE)});
       acquireDaemonLock(process.env.DIR); console.log('ready'); setInterval(() => {}, 60_000);`,
      { DIR: dir },
      { typescript: true },
    );
    const file = path.join(dir, 'daemon.pid');
    expect(readFileSync(file, 'utf8')).toBe(`${holder.pid}\n`);
    expect(() => acquireDaemonLock(dir)).toThrow(LockError);
    expect(() => acquireDaemonLock(dir)).toThrow(
      `another drover daemon (pid ${holder.pid}) is running (lock ${file}); stop it with "drover daemon stop"`,
    );
    expect(readFileSync(file, 'utf8')).toBe(`${holder.pid}\n`);

    await crash(holder);
    const lock = acquireDaemonLock(dir);
    expect(lock.file).toBe(file);
    expect(readFileSync(file, 'utf8')).toBe(`${process.pid}\n`);
    // No temp or aside files left behind.
    expect(readdirSync(dir)).toEqual(['daemon.pid']);
    lock.release();
    expect(existsSync(file)).toBe(false);
  });

  it('is refused to a second taker in the same process, and release leaves a lock that is not its own', () => {
    const dir = freshDir();
    const lock = acquireDaemonLock(dir);
    expect(() => acquireDaemonLock(dir)).toThrow(`another drover daemon (pid ${process.pid}) is running`);
    const file = path.join(dir, 'daemon.pid');
    writeFileSync(file, '999999999\n'); // someone else's lock now (a dead pid, as it happens)
    lock.release();
    expect(readFileSync(file, 'utf8')).toBe('999999999\n');
  });

  it("takes over a lock naming this process that it never took (its pid reused after a reboot, or a wrapper that exec'd it)", () => {
    const dir = freshDir();
    writeFileSync(path.join(dir, 'daemon.pid'), `${process.pid}\n`);
    const lock = acquireDaemonLock(dir);
    expect(() => acquireDaemonLock(dir)).toThrow(`another drover daemon (pid ${process.pid}) is running`);
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes over a lock file with garbage in it', () => {
    const dir = freshDir();
    writeFileSync(path.join(dir, 'daemon.pid'), 'not a pid');
    acquireDaemonLock(dir).release();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('removeStaleSocket', () => {
  it('removes a socket nothing listens on any more', async () => {
    const socket = path.join(freshDir(), 'd.sock');
    const listener = await startChild(
      `import net from 'node:net'; net.createServer().listen(process.env.SOCK, () => console.log('ready'));`,
      { SOCK: socket },
    );
    await crash(listener); // a crashed daemon leaves its socket file
    expect(existsSync(socket)).toBe(true);
    expect(await removeStaleSocket(socket)).toBe('removed');
    expect(existsSync(socket)).toBe(false);
    expect(await removeStaleSocket(socket)).toBe('absent');
  });

  it('keeps a socket that accepts connections', async () => {
    const socket = path.join(freshDir(), 'd.sock');
    const server = net.createServer((conn) => conn.destroy());
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      expect(await removeStaleSocket(socket)).toBe('live');
      expect(existsSync(socket)).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses to touch a file that is not a socket', async () => {
    const file = path.join(freshDir(), 'd.sock');
    writeFileSync(file, 'precious');
    await expect(removeStaleSocket(file)).rejects.toThrow(`${file}: exists and is not a socket; drover will not remove it: move it away`);
    expect(readFileSync(file, 'utf8')).toBe('precious');
  });
});
