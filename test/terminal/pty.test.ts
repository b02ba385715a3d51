import { describe, expect, it } from 'vitest';
import { Pty } from '../../src/terminal/pty.ts';
import { Screen } from '../../src/terminal/screen.ts';
import { mastersHeldBy, terminalOf } from '../helpers/processes.ts';
import { until } from '../helpers/until.ts';

function collect(pty: Pty): () => string {
  let out = '';
  pty.onData((data) => (out += data));
  return () => out;
}

describe('Pty', () => {
  it('runs a program in a real terminal of the given size and reports its exit code', async () => {
    const pty = new Pty({ command: 'bash', args: ['-c', 'stty size; tty; exit 3'], cols: 91, rows: 17 });
    const output = collect(pty);
    expect(await pty.exited).toEqual({ code: 3, signal: null });
    expect(output()).toMatch(/^17 91\r\n\/dev\/pts\/\d+/);
  });

  it('passes input, resizes, and feeds a Screen', async () => {
    const pty = new Pty({ command: 'bash', args: ['--norc', '--noprofile', '-i'], cols: 40, rows: 10, env: { ...process.env, PS1: '$ ' } });
    const screen = new Screen({ cols: 40, rows: 10 });
    pty.onData((data) => screen.write(data));
    pty.resize(50, 12);
    pty.write('stty size; exit 0\r');
    await pty.exited;
    await screen.flush();
    expect(screen.lines().join('\n')).toContain('12 50');
  });

  it('knows whether the shell or its child holds the terminal', async () => {
    const pty = new Pty({ command: 'bash', args: ['--norc', '--noprofile', '-i'], cols: 40, rows: 10, env: { ...process.env, PS1: 'ready$ ' } });
    const output = collect(pty);
    await until(() => output().includes('ready$'), 'the prompt');
    expect(pty.foregroundProcessGroup()).toBe(pty.pid);
    pty.write('sleep 30\r');
    await until(() => pty.foregroundProcessGroup() !== pty.pid, 'sleep in the foreground');
    expect(pty.foregroundProcessGroup()).toBeGreaterThan(0);
    await pty.kill({ signal: 'SIGHUP', graceMs: 2000 });
  });

  it("starts a program holding no other terminal's master", async () => {
    const started = async () => {
      const pty = new Pty({ command: 'sh', args: ['-c', 'echo started; exec cat'], cols: 40, rows: 5 });
      const output = collect(pty);
      await until(() => output().includes('started'), 'the program started'); // past exec: what it holds now, it keeps
      return pty;
    };
    const first = await started();
    const second = await started();
    expect(mastersHeldBy(second.pid)).not.toContain(terminalOf(first.pid));
    expect(mastersHeldBy(first.pid)).toEqual([]);
    await Promise.all([first.kill(), second.kill()]);
  });

  it('kills gracefully, then forcibly when the program ignores the signal', async () => {
    const stubborn = new Pty({ command: 'bash', args: ['-c', 'trap "" TERM; echo armed; sleep 30'], cols: 40, rows: 5 });
    const output = collect(stubborn);
    await until(() => output().includes('armed'), 'the TERM trap armed');
    const started = Date.now();
    expect(await stubborn.kill({ graceMs: 300 })).toEqual({ code: null, signal: 'SIGKILL' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('refuses a missing program or folder with a clear message', () => {
    expect(() => new Pty({ command: 'no-such-agent-cli', cols: 80, rows: 24 })).toThrow(
      'command not found: no-such-agent-cli (install it or add its folder to PATH)',
    );
    expect(() => new Pty({ command: 'bash', cols: 80, rows: 24, cwd: '/no/such/dir' })).toThrow(
      'working directory does not exist: /no/such/dir',
    );
    expect(() => new Pty({ command: './nope.sh', cols: 80, rows: 24 })).toThrow('program not found or not executable: ./nope.sh');
  });
});
