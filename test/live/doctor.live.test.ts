/**
 * drover doctor through the real binary, the way a user runs it, on the real Claude Code
 * (npm run agents:install): every scenario it covers is in the table, each state drover should
 * say is recognised, and the recording is kept, at the size asked for. Skips when Claude Code is
 * not installed.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openAsciicast } from '../../src/terminal/asciicast.ts';
import { agentBinary } from '../agents/paths.ts';
import { drover } from '../helpers/drover.ts';

const claude = agentBinary('claude');
const keep = mkdtempSync(path.join(tmpdir(), 'drover-doctor-keep-'));
afterAll(() => rmSync(keep, { recursive: true, force: true }));

it.skipIf(!claude)('doctor claude: every state recognised, the recording kept', async () => {
  const result = await drover(['doctor', 'claude', '--bin', claude!, '--size', '100x30', '--keep', keep], { timeout: 300_000 });
  const lines = result.stdout.split('\n');
  expect(lines[0]).toMatch(/^claude 2\.\d+\.\d+ \(.*claude\) at 100x30…$/);
  expect(lines[1]).toMatch(/^claude 2\.\d+\.\d+, 100x30: \d+ of \d+ states recognised in /);
  const rows = lines.filter((line) => /^ {2}(idle|answer|permission|deny|question|error|interrupt) /.test(line)).map((line) => line.trim().split(/\s{2,}/));
  const states = rows.map(([scenario, state]) => `${scenario} ${state}`);
  expect(states).toEqual([
    'idle idle',
    'answer working', 'answer done',
    'permission working', 'permission needs_permission', 'permission working', 'permission done',
    'deny working', 'deny needs_permission', 'deny done',
    'question working', 'question needs_input', 'question done',
    'error working', 'error error',
    'interrupt working', 'interrupt done/idle',
  ]);
  for (const [scenario, state, said, latency, , note] of rows) {
    // "working" from Enter may be cut short by a false done on a loaded machine (issue 17's live
    // defect, fixed apart from doctor): doctor's row then says so, with what drover said instead.
    if (said === 'NO' && state === 'working') expect(note, `${scenario} ${state}`).toMatch(/^then (done|idle|error) \(.+\) .+ before /);
    else expect(said, `${scenario} ${state}: ${note}`).toBe('yes');
    if (said === 'yes') expect(latency).toMatch(/^\d+(\.\d)? m?s$/);
  }
  expect(result.exitCode).toBe(rows.some((row) => row[2] === 'NO') ? 1 : 0);

  const kept = readdirSync(keep);
  expect(kept).toHaveLength(1);
  const file = path.join(keep, kept[0]!);
  expect(result.stdout).toContain(`recording: ${file}`);
  const { header, events } = await openAsciicast(file);
  expect(header.width).toBeGreaterThan(0);
  const seen: string[] = [];
  for await (const event of events) {
    if (event.type === 'r') seen.push(`r ${event.cols}x${event.rows}`);
    else if (event.type !== 'm') seen.push(`${event.type} ${event.data}`);
  }
  expect(seen).toContain('r 100x30');
  expect(seen).toContain('i Please say hello');
  expect(seen.filter((e) => e.startsWith('o ')).length).toBeGreaterThan(100);
});
