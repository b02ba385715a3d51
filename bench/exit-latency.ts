/** How soon a live agent's exit is seen: from the program ending to `exited` (with its code). */
import { LiveAgent } from '../src/engine/live-agent.ts';
import { shell } from '../src/providers/shell/index.ts';

export async function measureExitLatency(runs = 20): Promise<{ median: number; worst: number }> {
  const latencies: number[] = [];
  for (let i = 0; i < runs; i++) {
    // The program prints its own end time just before it exits; drover's `exited` is compared to it.
    const agent = new LiveAgent({
      provider: shell,
      command: 'node',
      args: ['-e', 'setTimeout(() => { process.stdout.write(`END ${Date.now()}\\n`); process.exit(3); }, 200)'],
      cols: 80,
      rows: 24,
    });
    const exited = new Promise<number>((resolve) => agent.onStatus((c) => c.status === 'exited' && resolve(Date.now())));
    const seenAt = await exited;
    const ended = Number(/END (\d+)/.exec(agent.screen.lines().join('\n'))?.[1]);
    if (agent.status.detail !== 'code 3') throw new Error(`exit reported as ${agent.status.detail}`);
    latencies.push(seenAt - ended);
    agent.dispose();
  }
  latencies.sort((a, b) => a - b);
  return { median: latencies[Math.floor(runs / 2)]!, worst: latencies.at(-1)! };
}
