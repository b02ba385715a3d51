/**
 * drover's command line: one verb per module, each loaded only when it runs, so a verb pays for
 * what it uses (`drover hook` loads no Ink, `drover ls` no node-pty).
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.ts';
import { UsageError } from './errors.ts';
import { agentsUsage, attachUsage, daemonUsage, doctorUsage, inboxUsage, mcpUsage, recordUsage, remoteUsage, replayUsage } from './usage.ts';

type Verb = (argv: string[]) => Promise<number>;

const verbs: Record<string, () => Promise<Verb>> = {
  daemon: async () => (await import('./daemon.ts')).daemonCommand,
  spawn: async () => (await import('./agents.ts')).spawnCommand,
  ls: async () => (await import('./agents.ts')).lsCommand,
  status: async () => (await import('./agents.ts')).statusCommand,
  screen: async () => (await import('./agents.ts')).screenCommand,
  last: async () => (await import('./agents.ts')).lastCommand,
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
  doctor: async () => (await import('./doctor.ts')).doctorCommand,
  'dial-stdio': async () => (await import('./dial-stdio.ts')).dialStdioCommand,
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
  ${remoteUsage}

  ${daemonUsage.replace(/\n/g, '\n  ')}

  ${recordUsage.replace(/\n/g, '\n  ')}

  ${replayUsage.replace(/\n/g, '\n  ')}

  ${doctorUsage.replace(/\n/g, '\n  ')}

  drover --help | --version`;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Verbs about this machine alone: `--host` makes no sense for them (`diff` runs git on the agent's folder here). */
const LOCAL_VERBS = new Set(['daemon', 'hook', 'mcp', 'record', 'replay', 'dial-stdio', 'pty-host', 'diff', 'doctor']);

/**
 * `--host HOST` (or `--host=HOST`), before the verb or among its options (not after `--`), taken
 * out of argv into DROVER_HOST, which the connections read (a comma list: the TUI takes several).
 */
function takeHost(argv: string[]): string[] {
  const end = argv.indexOf('--');
  const rest: string[] = [];
  const hosts: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (end >= 0 && i >= end) rest.push(arg);
    else if (arg.startsWith('--host=')) hosts.push(arg.slice('--host='.length));
    else if (arg === '--host') {
      const host = argv[++i];
      if (host === undefined || host.startsWith('-')) throw new UsageError('--host needs a host: a name from the config\'s hosts, or an ssh destination');
      hosts.push(host);
    } else rest.push(arg);
  }
  if (hosts.length > 0) process.env.DROVER_HOST = hosts.join(',');
  return rest;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const [verb, ...rest] = takeHost(argv);
    if (process.env.DROVER_HOST === '') delete process.env.DROVER_HOST;
    if (verb && LOCAL_VERBS.has(verb) && process.env.DROVER_HOST) {
      throw new UsageError(`drover ${verb} runs on this machine only: drop --host (or unset DROVER_HOST)`);
    }
    if (verb === undefined && process.stdout.isTTY && process.stdin.isTTY) {
      const [{ openTui }, { herdHosts }, { connectOrStart }] = await Promise.all([
        import('../tui/index.ts'),
        import('./hosts.ts'),
        import('../client/daemon-connection.ts'),
      ]);
      return await openTui((options) => connectOrStart(process.env, options), () => herdHosts(process.env));
    }
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
    // Not a refusal drover words itself: a bug, or a daemon answering what it should not. One line
    // for the person; the stack when they ask for it, and always in the logs of the background
    // processes (whose stderr is their log).
    if (process.env.DROVER_DEBUG || argv.includes('daemon') || argv.includes('pty-host')) throw error;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`drover: unexpected error: ${message.replace(/\s+/g, ' ')} (DROVER_DEBUG=1 shows where; please report it)\n`);
    return 1;
  }
}
