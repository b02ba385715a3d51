// CLI: npx tsx test/doctor/mock-model/main.ts --port N --scenario FILE [--log FILE.jsonl] [--host H]
// Prints `listening <url>` once ready; requests and mock events go to the log file as JSON lines.
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { startMockServer } from '../../../src/doctor/mock-model/server.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      scenario: { type: 'string' },
      log: { type: 'string' },
      host: { type: 'string' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port number: ${values.port}`);

  const server = await startMockServer({
    port,
    ...(values.scenario !== undefined ? { scenario: values.scenario } : {}),
    ...(values.host !== undefined ? { host: values.host } : {}),
  });
  if (values.log !== undefined) {
    const out = createWriteStream(values.log, { flags: 'a' });
    server.events.on('log', (entry) => out.write(JSON.stringify({ type: 'request', ...entry }) + '\n'));
    server.events.on('mock-event', (event) => out.write(JSON.stringify({ type: 'event', ...event }) + '\n'));
  }
  server.events.on('scenario-error', (message: string) => console.error(`scenario not reloaded: ${message}`));

  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(`listening ${server.url}`);
}

main().catch((err: unknown) => {
  console.error(`mock-model: ${(err as Error).message}`);
  process.exit(1);
});
