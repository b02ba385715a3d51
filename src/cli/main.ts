import { readFileSync } from 'node:fs';
import { RpcError } from '../daemon/protocol.ts';
import { isUserFacing, UsageError } from './errors.ts';
import {
  agentsUsage,
  explainCommand,
  killCommand,
  logsCommand,
  lsCommand,
  restartCommand,
  resumeCommand,
  screenCommand,
  spawnCommand,
  statusCommand,
} from './agents.ts';
import { hookCommand } from './hook.ts';
import { mcpCommand, mcpUsage } from './mcp.ts';
import { approvalsCommand, approveCommand, denyCommand, inboxCommand, inboxUsage, sendCommand } from './inbox.ts';
import { attachCommand, attachUsage } from './attach.ts';
import { daemonCommand, daemonUsage } from './daemon.ts';
import { recordCommand, recordUsage } from './record.ts';
import { replayCommand, replayUsage } from './replay.ts';
import { openTui } from '../tui/index.ts';

type Verb = (argv: string[]) => Promise<number>;

const verbs: Record<string, Verb> = {
  daemon: daemonCommand,
  spawn: spawnCommand,
  ls: lsCommand,
  status: statusCommand,
  screen: screenCommand,
  send: sendCommand,
  inbox: inboxCommand,
  approvals: approvalsCommand,
  approve: approveCommand,
  deny: denyCommand,
  kill: killCommand,
  attach: attachCommand,
  restart: restartCommand,
  resume: resumeCommand,
  hook: hookCommand,
  mcp: mcpCommand,
  explain: explainCommand,
  logs: logsCommand,
  record: recordCommand,
  replay: replayCommand,
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
    if (verb === undefined && process.stdout.isTTY && process.stdin.isTTY) return await openTui();
    if (verb === undefined || verb === '--help' || verb === '-h' || verb === 'help') {
      process.stdout.write(`${usage()}\n`);
      return 0;
    }
    if (verb === '--version' || verb === '-V') {
      process.stdout.write(`${version()}\n`);
      return 0;
    }
    const run = verbs[verb];
    if (!run) throw new UsageError(`unknown command "${verb}" (try: drover --help)`);
    return await run(rest);
  } catch (error) {
    if (isUserFacing(error) || error instanceof RpcError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`drover: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}
