/**
 * `drover attach NAME`: the agent's terminal, full screen, passed straight through (no TUI); the
 * detach key leaves it running.
 */
import { parseArgs } from 'node:util';
import { parseDetachKey, passThrough } from '../client/passthrough.ts';
import { UsageError } from './errors.ts';
import { withClient } from './output.ts';
import { attachUsage } from './usage.ts';

export async function attachCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { 'detach-key': { type: 'string' } } });
  const name = positionals[0];
  if (!name) throw new UsageError(`attach needs an agent name: ${attachUsage}`);
  const detachKeyGiven = values['detach-key'] === undefined ? undefined : parseDetachKey(values['detach-key']);
  // Without a terminal there are no keys to pass, and the detach key could never come.
  if (!process.stdin.isTTY) throw new UsageError(`attach needs a terminal, and stdin is not one: see the agent with drover screen ${name}, type into it with drover send ${name} --keys`);
  return withClient(async (client) => {
    const detachKey = detachKeyGiven ?? parseDetachKey((await client.call('settings.get')).keybindings.detach);
    const reason = await passThrough({ client, agent: name, detachKey, alternateScreen: true });
    process.stderr.write(`[${reason}]\n`);
    return 0;
  });
}
