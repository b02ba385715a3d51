/**
 * drover's command line: one verb per module, each loaded only when it runs, so a verb pays for
 * what it uses (`drover hook` loads no Ink, `drover ls` no node-pty).
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.ts';
import { agentsUsage, attachUsage, daemonUsage, inboxUsage, mcpUsage, recordUsage, replayUsage } from './usage.ts';

type Verb = (argv: string[]) => Promise<number>;

const verbs: Record<string, () => Promise<Verb>> = {
  daemon: async () => (await import('./daemon.ts')).daemonCommand,
  spawn: async () => (await import('./agents.ts')).spawnCommand,
  ls: async () => (await import('./agents.ts')).lsCommand,
  status: async () => (await import('./agents.ts')).statusCommand,
  screen: async () => (await import('./agents.ts')).screenCommand,
  send: async () => (await import('./inbox.ts')).sendCommand,
  inbox: async () => (await import('./inbox.ts')).inboxCommand,
  approvals: async () => (await import('./inbox.ts')).approvalsCommand,
  approve: async () => (await import('./inbox.ts')).approveCommand,
  deny: async () => (await import('./inbox.ts')).denyCommand,
  kill: async () => (await import('./agents.ts')).killCommand,
  rm: async () => (await import('./agents.ts')).rmCommand,
  mv: async () => (await import('./agents.ts')).mvCommand,
  attach: async () => (await import('./attach.ts')).attachCommand,
  restart: async () => (await import('./agents.ts')).restartCommand,
  resume: async () => (await import('./agents.ts')).resumeCommand,
  hook: async () => (await import('./hook.ts')).hookCommand,
  mcp: async () => (await import('./mcp.ts')).mcpCommand,
  explain: async () => (await import('./agents.ts')).explainCommand,
  logs: async () => (await import('./agents.ts')).logsCommand,
  diff: async () => (await import('./agents.ts')).diffCommand,
  record: async () => (await import('./record.ts')).recordCommand,
  replay: async () => (await import('./replay.ts')).replayCommand,
  // Started by the daemon, not listed in the help.
  'pty-host': async () => (await import('./pty-host.ts')).ptyHostCommand,
};

function usage(): string {
  return `drover: a terminal supervisor for a herd of CLI coding agents

Usage:
  drover                        the TUI (on a terminal): agents, live preview, inbox and approvals
  ${agentsUsage}
  ${inboxUsage}
  ${mcpUsage}
  ${attachUsage}

  ${daemonUsage.replace(/\n/g, '\n  ')}

  ${recordUsage.replace(/\n/g, '\n  ')}

  ${replayUsage.replace(/\n/g, '\n  ')}

  drover --help | --version`;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  try {
    if (verb === undefined && process.stdout.isTTY && process.stdin.isTTY) return await (await import('../tui/index.ts')).openTui();
    if (verb === undefined || verb === '--help' || verb === '-h' || verb === 'help') {
      process.stdout.write(`${usage()}\n`);
      return 0;
    }
    if (verb === '--version' || verb === '-V') {
      process.stdout.write(`${version()}\n`);
      return 0;
    }
    const load = Object.hasOwn(verbs, verb) ? verbs[verb] : undefined;
    if (!load) {
      process.stderr.write(`drover: unknown command "${verb}" (try: drover --help)\n`);
      return 2;
    }
    return await (await load())(rest);
  } catch (error) {
    if (error instanceof UserError) {
      process.stderr.write(`drover: ${error.message}\n`);
      return error.exitCode;
    }
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      // Node's message may run over several lines (`--at -1`: "ambiguous … use '--at=-XYZ'").
      process.stderr.write(`drover: ${(error as Error).message.split('\n').join(' ')}\n`);
      return 2;
    }
    throw error;
  }
}
