/**
 * Plays a recorded agent session into its own terminal, as the agent did: the output up to the
 * end of its first idle stretch, then silence for IDLE_S seconds, then its first working stretch
 * (spinner and streamed text at their recorded rate), looped for WORK_S seconds. Used by the soak
 * benchmark: twenty of these make the daemon supervise twenty busy Claude screens.
 *   node --import tsx bench/cast-player.ts FILE.cast IDLE_S WORK_S
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { openAsciicast } from '../src/terminal/asciicast.ts';
import { readLabels } from '../test/eval/labels.ts';

const [file, idleSeconds, workSeconds] = process.argv.slice(2);
const labels = readLabels(file!.replace(/\.cast$/, '.labels.json'));
const idle = labels.segments.find((s) => s.status === 'idle')!;
const working = labels.segments.find((s) => s.status === 'working' && s.from > idle.from)!;

const { events } = await openAsciicast(file!);
const output: Array<{ time: number; data: string }> = [];
for await (const event of events) if (event.type === 'o') output.push(event);

async function play(from: number, to: number): Promise<void> {
  let clock = from;
  for (const event of output) {
    if (event.time < from || event.time >= to) continue;
    await sleep((event.time - clock) * 1000);
    clock = event.time;
    process.stdout.write(event.data);
  }
}

await play(0, idle.to);
await sleep(Number(idleSeconds) * 1000);
const until = Date.now() + Number(workSeconds) * 1000;
while (Date.now() < until) await play(working.from, working.to);
await sleep(60_000);
