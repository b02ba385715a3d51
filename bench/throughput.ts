/**
 * Bytes/s of recorded program output through drover's pipeline (Screen + status tracker with the
 * provider's rules on a virtual clock, exactly what `drover replay` runs) against a bare
 * @xterm/headless Terminal fed the same events. The ratio is the cost of drover's own work on top
 * of the emulator.
 */
import xtermHeadless from '@xterm/headless';
import { replayEvents } from '../src/engine/replay.ts';
import { genericProvider } from '../src/providers/generic.ts';
import { getProvider, providerIds } from '../src/providers/index.ts';
import type { Detector } from '../src/status/detector.ts';
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

/** Agent recordings (fixtures/<provider>/) run with their provider's rules; the rest with the generic one. */
function providerFor(recording: LoadedRecording): Detector {
  const id = recording.name.split('/')[0]!;
  return (providerIds().includes(id) ? getProvider(id) : genericProvider).detect;
}

async function drover(recording: LoadedRecording): Promise<void> {
  const result = await replayEvents(recording.header, recording.events, providerFor(recording));
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

/**
 * Groups: each terminal program on its own and all of them together, each agent CLI's recordings
 * together, then everything.
 */
export function throughputGroups(recordings: LoadedRecording[]): Array<[string, LoadedRecording[]]> {
  const groups = new Map<string, LoadedRecording[]>();
  const add = (key: string, recording: LoadedRecording) => groups.set(key, [...(groups.get(key) ?? []), recording]);
  for (const r of recordings) {
    const [folder] = r.name.split('/');
    if (folder === 'terminal') {
      add(r.name, r);
      add('terminal programs (all)', r);
    } else {
      add(`${folder} (agent CLI)`, r);
    }
  }
  return [...groups.entries(), ['all recordings', recordings]];
}

export async function measureThroughput(groups: Array<[string, LoadedRecording[]]>, budgetMs = 2800): Promise<ThroughputResult[]> {
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
