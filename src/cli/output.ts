/**
 * What every scripting verb shares: a connection to the daemon (this machine's, started when none
 * answers, or `--host`'s over ssh), and output as text or JSON.
 */
import type { Client } from '../client/client.ts';
import { connectDaemon } from './hosts.ts';

export async function withClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectDaemon(process.env, {
    onSlowStart: (log) => process.stderr.isTTY && process.stderr.write(`drover: starting the daemon… (its log: ${log})\n`),
  });
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

/** `value` as one line of JSON with --json, else the text. */
export function print(json: boolean | undefined, value: unknown, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${text()}\n`);
}
