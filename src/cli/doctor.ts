/** `drover doctor [PROVIDER…] [--bin PATH] [--size COLSxROWS] [--keep DIR]`: does drover still read the installed CLIs right? */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatMs, runDoctor, type Check, type DoctorReport } from '../doctor/doctor.ts';
import { isMockable, type MockableProvider } from '../doctor/homes.ts';
import { getProvider, launchableProvider } from '../providers/index.ts';
import { stateDir } from '../store/paths.ts';
import { CommandNotFoundError, resolveCommand } from '../terminal/pty.ts';
import { UsageError } from './errors.ts';

const MOCKABLE: MockableProvider[] = ['claude', 'codex', 'gemini', 'opencode', 'qwen', 'copilot'];

export async function doctorCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { bin: { type: 'string' }, size: { type: 'string' }, keep: { type: 'string' } },
  });
  const { cols, rows } = parseSize(values.size ?? '120x35');
  for (const id of positionals) checkProvider(id);
  if (values.bin !== undefined && positionals.length !== 1) {
    throw new UsageError(`--bin names one CLI's binary: give its provider too (drover doctor claude --bin ${values.bin})`);
  }
  const wanted = positionals as MockableProvider[];
  const targets = values.bin !== undefined ? [{ provider: wanted[0]!, command: binary(values.bin) }] : installed(wanted);
  const keepDir = path.resolve(values.keep ?? path.join(stateDir(process.env), 'doctor'));
  // Kept across runs in drover's own cache: what the CLIs unpack or install at a first start.
  const cache = path.join(process.env.XDG_CACHE_HOME || path.join(process.env.HOME ?? tmpdir(), '.cache'), 'drover');
  const copilotPackages = path.join(cache, 'copilot-pkg');
  const opencodePackages = path.join(cache, 'opencode-packages');
  const homesDir = path.join(cache, 'doctor-homes');

  let failed = false;
  for (const { provider, command } of targets) {
    const version = await cliVersion(command, copilotPackages);
    process.stdout.write(`${provider} ${version} (${command}) at ${cols}x${rows}…\n`);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const report = await runDoctor({
      provider,
      command,
      version,
      cols,
      rows,
      copilotPackages,
      opencodePackages,
      homesDir,
      keepAs: path.join(keepDir, `${provider}-${version}-${cols}x${rows}-${stamp}.cast`),
    });
    process.stdout.write(`${formatReport(report)}\n`);
    failed ||= report.aborted !== undefined || report.checks.some((check) => check.outcome === 'missed');
  }
  return failed ? 1 : 0;
}

function parseSize(text: string): { cols: number; rows: number } {
  const match = /^(\d+)x(\d+)$/.exec(text);
  const [cols, rows] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (cols < 40 || rows < 10 || cols > 1000 || rows > 500) {
    throw new UsageError(`--size ${text}: expected COLSxROWS from 40x10 to 1000x500, e.g. 120x35`);
  }
  return { cols, rows };
}

function checkProvider(id: string): void {
  const known = `doctor knows: ${MOCKABLE.join(', ')}`;
  if (isMockable(id)) return;
  getProvider(id); // an unknown one is named as everywhere else
  throw new UsageError(`drover doctor checks agent CLIs against its mock model, and "${id}" is not one (${known})`);
}

/** `--bin PATH`, checked: a program that exists and can run. */
function binary(bin: string): string {
  try {
    return resolveCommand(path.resolve(bin), '', process.cwd());
  } catch (error) {
    if (error instanceof CommandNotFoundError) throw new UsageError(`--bin ${bin}: no such program, or not executable`);
    throw error;
  }
}

/** The CLIs asked for (all known ones when none is), found on PATH; one not installed is named with its install command. */
function installed(wanted: MockableProvider[]): Array<{ provider: MockableProvider; command: string }> {
  const found = (wanted.length ? wanted : MOCKABLE).flatMap((provider) => {
    const { launch } = launchableProvider(provider).integrate;
    try {
      return [{ provider, command: resolveCommand(launch.command, process.env.PATH ?? '', process.cwd()) }];
    } catch (error) {
      if (!(error instanceof CommandNotFoundError)) throw error;
      if (wanted.length) throw new UsageError(`${provider}: ${launch.command} is not on PATH: ${launch.install} (or name its binary: drover doctor ${provider} --bin PATH)`);
      return [];
    }
  });
  if (!found.length) throw new UsageError(`no agent CLI drover knows is on PATH (${MOCKABLE.join(', ')}): install one, or name its binary: drover doctor PROVIDER --bin PATH`);
  return found;
}

/** The CLI's own `--version`, run in a throwaway HOME (a first run may write there). */
async function cliVersion(command: string, copilotPackages: string): Promise<string> {
  const home = mkdtempSync(path.join(tmpdir(), 'drover-doctor-version-'));
  try {
    const output = await new Promise<string>((resolve) => {
      execFile(
        command,
        ['--version'],
        { env: { PATH: process.env.PATH ?? '', HOME: home, TERM: 'dumb', COPILOT_PKG_CACHE_HOME: copilotPackages }, timeout: 60_000 },
        (_error, stdout) => resolve(String(stdout)),
      );
    });
    return /\d+\.\d+\.\d+(?:[-+][\w.]*\w)?/.exec(output)?.[0] ?? 'unknown-version';
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** One provider's results: a header, a row per check, where the recording is. */
export function formatReport(report: DoctorReport): string {
  const judged = report.checks.filter((check) => check.outcome === 'recognised' || check.outcome === 'missed');
  const recognised = judged.filter((check) => check.outcome === 'recognised').length;
  const notRun = report.checks.filter((check) => check.outcome === 'not run').length;
  const head = `${report.provider} ${report.version}, ${report.cols}x${report.rows}: ${recognised} of ${judged.length} states recognised${notRun ? ` (${notRun} not run)` : ''} in ${formatMs(report.durationMs)}`;
  const rows = [['scenario', 'state', 'drover', 'latency', 'from', 'rule / note'], ...report.checks.map(row)];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const table = rows.map((r) => `  ${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}`.trimEnd());
  const tail = [
    ...(report.aborted ? [`  stopped early: ${report.aborted.split('\n')[0]}`] : []),
    `  recording: ${report.recording ?? 'none kept'}`,
  ];
  return [head, ...table, ...tail].join('\n');
}

function row(check: Check): string[] {
  const said = check.outcome === 'recognised' ? 'yes' : check.outcome === 'missed' ? 'NO' : check.outcome;
  return [check.scenario, check.expected.join('/'), said, check.latencyMs === undefined ? '—' : formatMs(check.latencyMs), check.from, check.note];
}
