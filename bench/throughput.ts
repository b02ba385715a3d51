/**
 * Bytes/s of recorded program output through drover's pipeline (Screen + status tracker on a
 * virtual clock, exactly what `drover replay` runs) against a bare @xterm/headless Terminal fed
 * the same events. The ratio is the cost of drover's own work on top of the emulator.
 */
import xtermHeadless from '@xterm/headless';
import { replayEvents } from '../src/engine/replay.ts';
import { genericProvider } from '../src/providers/generic.ts';
import type { LoadedRecording } from './recordings.ts';

const { Terminal } = xtermHeadless;

async function bareXterm(recording: LoadedRecording): Promise<void> {
  const term = new Terminal({ cols: recording.header.width, rows: recording.header.height, scrollback: 5000, allowProposedApi: true });
  for (const event of recording.events) {
    if (event.type === 'o') term.write(event.data);
    else if (event.type === 'r') term.resize(event.cols, event.rows);
  }
  await new Promise<void>((resolve) => term.write('', resolve));
  term.dispose();
}

async function drover(recording: LoadedRecording): Promise<void> {
  const result = await replayEvents(recording.header, recording.events, genericProvider);
  result.screen.dispose();
}

/** Runs `fn` over all recordings repeatedly for about `budgetMs`; returns bytes per second. */
async function rate(recordings: LoadedRecording[], fn: (r: LoadedRecording) => Promise<void>, budgetMs: number): Promise<number> {
  let bytes = 0;
  const started = performance.now();
  do {
    for (const recording of recordings) {
      await fn(recording);
      bytes += recording.outputBytes;
    }
  } while (performance.now() - started < budgetMs);
  return bytes / ((performance.now() - started) / 1000);
}

export interface ThroughputResult {
  name: string;
  bytes: number;
  droverBytesPerSec: number;
  xtermBytesPerSec: number;
  ratio: number;
}

const ROUNDS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function measureThroughput(recordings: LoadedRecording[], budgetMs = 2800): Promise<ThroughputResult[]> {
  const groups: Array<[string, LoadedRecording[]]> = [
    ...recordings.map((r): [string, LoadedRecording[]] => [r.name, [r]]),
    ['all recordings', recordings],
  ];
  const results: ThroughputResult[] = [];
  for (const [name, group] of groups) {
    await rate(group, bareXterm, 100); // warm both paths
    await rate(group, drover, 100);
    // Short alternating rounds, median of each: a busy neighbour hurts both sides alike.
    const xterm: number[] = [];
    const ours: number[] = [];
    const ratios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      xterm.push(await rate(group, bareXterm, budgetMs / ROUNDS / 2));
      ours.push(await rate(group, drover, budgetMs / ROUNDS / 2));
      ratios.push(ours[round]! / xterm[round]!);
    }
    results.push({
      name,
      bytes: group.reduce((sum, r) => sum + r.outputBytes, 0),
      droverBytesPerSec: median(ours),
      xtermBytesPerSec: median(xterm),
      ratio: median(ratios),
    });
  }
  return results;
}
