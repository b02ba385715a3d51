import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_COLS, MAX_ROWS } from '../../src/terminal/size.ts';
import { drover } from '../helpers/drover.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'drover-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('drover record', () => {
  it('records a program in a PTY as asciicast v2 and passes its output and exit code through', async () => {
    const cast = path.join(dir, 'bash.cast');
    const script = 'printf "\\033]0;my title\\007"; echo start; for i in 1 2 3; do printf "\\r%d%%" $((i*33)); sleep 0.05; done; echo; exit 7';
    const run = await drover(['record', '--out', cast, '--cols', '50', '--rows', '8', '--', 'bash', '-c', script]);
    expect(run.exitCode).toBe(7);
    expect(run.stdout).toContain('start');
    expect(run.stderr).toContain(`recorded ${cast}`);

    const [header, ...events] = readFileSync(cast, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(header).toMatchObject({ version: 2, width: 50, height: 8, command: expect.stringContaining('bash -c') });
    expect(events.length).toBeGreaterThan(1);
    expect(events.every((e: unknown[]) => e[1] === 'o' && typeof e[0] === 'number')).toBe(true);

    const screen = await drover(['replay', cast, '--format', 'screen']);
    expect(screen.exitCode).toBe(0);
    expect(screen.stdout.split('\n')).toEqual(['start', '99%', ...Array(6).fill('')]); // one line per row

    const jsonl = await drover(['replay', cast, '--format', 'jsonl']);
    const changes = jsonl.stdout.trim().split('\n').map((line: string) => JSON.parse(line));
    expect(changes[0]).toEqual({ t: 0, status: 'unknown', rule: 'initial' });
    expect(changes[1]).toMatchObject({ status: 'working', rule: 'generic.output' });
    expect(changes[1].t).toBeGreaterThan(0);
  });

  it('records what is typed as input events', async () => {
    const cast = path.join(dir, 'input.cast');
    const run = await drover(['record', '--out', cast, '--cols', '40', '--rows', '5', '--', 'bash', '-c', 'read -r line; echo "got $line"'], {
      input: 'hello\r',
    });
    expect(run.exitCode).toBe(0);
    const events = readFileSync(cast, 'utf8').trim().split('\n').slice(1).map((line) => JSON.parse(line));
    expect(events.filter((e) => e[1] === 'i').map((e) => e[2]).join('')).toBe('hello\r');
    expect(events.filter((e) => e[1] === 'o').map((e) => e[2]).join('')).toContain('got hello');
  });
});

describe('drover replay', () => {
  const fixture = path.resolve(import.meta.dirname, '../../fixtures/terminal/progress.cast');

  it('prints the timeline with the deciding rule by default', async () => {
    const run = await drover(['replay', fixture]);
    expect(run.exitCode).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\s+0\.000s\s+unknown\s+initial$/);
    expect(lines[1]).toMatch(/^\s+\d+\.\d{3}s\s+working\s+generic\.output$/);
  });

  it('shows the screen at a moment with --at', async () => {
    const run = await drover(['replay', fixture, '--format', 'screen', '--at', '0.3']);
    expect(run.stdout).toContain('step 1 [');
    expect(run.stdout).not.toContain('ok three steps');
  });

  const mistakes: Array<[string, string[], RegExp]> = [
    ['an unknown verb', ['frobnicate'], /^drover: unknown command "frobnicate" \(try: drover --help\)$/],
    ['an unknown provider', ['replay', fixture, '--provider', 'nope'], /^drover: unknown provider "nope" \(known: claude, codex, gemini, opencode, qwen, copilot, shell, generic\)$/],
    ['an unknown format', ['replay', fixture, '--format', 'html'], /^drover: --format must be one of screen, jsonl, text, explain, got "html"$/],
    ['a bad --at', ['replay', fixture, '--at', 'soon'], /^drover: --at must be a number ≥ 0, got "soon"$/],
    ['no recording', ['replay'], /^drover: replay needs one recording/],
    ['a missing file', ['replay', path.join(dir, 'missing.cast')], /missing\.cast: cannot read: ENOENT/],
    ['an unknown option', ['replay', fixture, '--colour'], /^drover: Unknown option '--colour'/],
    ['record without a command', ['record', '--out', 'x.cast'], /^drover: record needs a command/],
    ['record wider than drover emulates', ['record', '--out', path.join(dir, 'wide.cast'), '--cols', String(MAX_COLS + 1), '--', 'true'], new RegExp(`^drover: --cols must be a whole number from 1 to ${MAX_COLS}, got "${MAX_COLS + 1}"$`)],
    ['record of a missing program', ['record', '--out', path.join(dir, 'n.cast'), '--', 'not-a-real-cli'], /^drover: command not found: not-a-real-cli/],
  ];
  for (const [what, args, message] of mistakes) {
    it(`answers ${what} with one clear line and exit code 2`, async () => {
      const run = await drover(args);
      expect(run.exitCode).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr.trim()).toMatch(message);
    });
  }

  const tooLarge: Array<[string, string, string]> = [
    ['a header of 100000x100000', '{"version":2,"width":100000,"height":100000}\n[0.1,"o","hi"]\n', `1: invalid header at width: at most ${MAX_COLS} columns`],
    ['a header a row too tall', `{"version":2,"width":80,"height":${MAX_ROWS + 1}}\n`, `1: invalid header at height: at most ${MAX_ROWS} rows`],
    ['a resize to 20000x20000', '{"version":2,"width":80,"height":24}\n[0.1,"r","20000x20000"]\n', `2: resize event "20000x20000" is larger than ${MAX_COLS}x${MAX_ROWS}`],
  ];
  for (const [what, recording, problem] of tooLarge) {
    it(`refuses a recording with ${what} in one line, exit 2, before making a screen that size`, async () => {
      const file = path.join(dir, `${what.replaceAll(' ', '-')}.cast`);
      writeFileSync(file, recording);
      const run = await drover(['replay', file, '--format', 'screen']);
      expect(run.exitCode).toBe(2);
      expect(run.stderr.trim()).toBe(`drover: ${file}:${problem}`);
    });
  }

  it('names the line of a damaged recording', async () => {
    const damaged = path.join(dir, 'damaged.cast');
    writeFileSync(damaged, `${readFileSync(fixture, 'utf8').split('\n').slice(0, 4).join('\n')}\n[0.9, "o", "cut of`);
    const run = await drover(['replay', damaged, '--format', 'screen']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr.trim()).toBe(`drover: ${damaged}:5: event is not valid JSON (truncated or damaged recording?)`);
  });
});

describe('drover --help / --version', () => {
  it('lists the verbs', async () => {
    const run = await drover(['--help']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('drover record');
    expect(run.stdout).toContain('drover replay');
  });

  it('prints the version from package.json', async () => {
    const run = await drover(['--version']);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
