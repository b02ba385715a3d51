/**
 * drover doctor's refusals, through the real binary: each is one line naming the problem and the
 * fix (exit 2), before anything is started. (The real CLIs under doctor: test/live/doctor.live.test.ts.)
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { DROVER_BIN, privateDirs } from '../helpers/drover.ts';

const root = mkdtempSync(path.join(tmpdir(), 'drover-doctor-errors-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A PATH with no agent CLI on it (an empty folder). */
const emptyPath = path.join(root, 'bin');

function doctor(args: string[], pathVar = emptyPath) {
  return execa(process.execPath, [DROVER_BIN, 'doctor', ...args], {
    reject: false,
    stdin: 'ignore',
    env: { ...privateDirs(root), PATH: pathVar },
    extendEnv: false,
    timeout: 30_000,
  });
}

function oneLine(result: { exitCode?: number; stderr: string; stdout: string }, pattern: RegExp): void {
  expect(result.exitCode, result.stderr).toBe(2);
  expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
  expect(result.stdout).toBe('');
}

describe('drover doctor: one line for bad input', () => {
  it('an unknown provider, and one that is no agent CLI', async () => {
    oneLine(await doctor(['nosuch']), /^drover: unknown provider "nosuch" \(known: claude, codex/);
    oneLine(await doctor(['shell']), /^drover: drover doctor checks agent CLIs .* "shell" is not one \(doctor knows: claude, codex, gemini, opencode, qwen, copilot\)/);
  });

  it('a CLI that is not installed: named with how to install it', async () => {
    oneLine(await doctor(['claude']), /^drover: claude: claude is not on PATH: npm install -g @anthropic-ai\/claude-code \(or name its binary: drover doctor claude --bin PATH\)/);
  });

  it('no CLI at all on PATH', async () => {
    oneLine(await doctor([]), /^drover: no agent CLI drover knows is on PATH \(claude, codex, gemini, opencode, qwen, copilot\): install one, or name its binary/);
  });

  it('--bin that is not a program, or without its one provider', async () => {
    oneLine(await doctor(['claude', '--bin', path.join(root, 'missing')]), /^drover: --bin .*missing: no such program, or not executable/);
    const notExecutable = path.join(root, 'claude.txt');
    writeFileSync(notExecutable, 'not a program');
    chmodSync(notExecutable, 0o644);
    oneLine(await doctor(['claude', '--bin', notExecutable]), /--bin .*claude\.txt: no such program, or not executable/);
    oneLine(await doctor(['--bin', notExecutable]), /^drover: --bin names one CLI's binary: give its provider too \(drover doctor claude --bin /);
    oneLine(await doctor(['claude', 'gemini', '--bin', notExecutable]), /--bin names one CLI's binary/);
  });

  it('a size that is not COLSxROWS', async () => {
    oneLine(await doctor(['claude', '--size', '120']), /^drover: --size 120: expected COLSxROWS from 40x10 to 1000x500, e.g. 120x35$/);
    oneLine(await doctor(['claude', '--size', '20x5']), /--size 20x5: expected COLSxROWS/);
  });

  it('an unknown option', async () => {
    oneLine(await doctor(['claude', '--colour']), /^drover: Unknown option '--colour'/);
  });
});
