/** The scripting verbs: each a client of the daemon (started when none answers), each with --json. */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ago } from '../client/format.ts';
import type { AgentSummary } from '../protocol/schema.ts';
import { UsageError } from './errors.ts';
import { alsoMatched, quoted, ruleLine } from './explanation.ts';
import { print, withClient } from './output.ts';
import { agentsUsage } from './usage.ts';

function line(agent: AgentSummary): string {
  const exit = agent.exit ? ` (${agent.exit.signal ? `signal ${agent.exit.signal}` : `code ${agent.exit.code}`})` : '';
  const unrecognised = agent.unrecognisedMs ? `  (screen unrecognised for ${seconds(agent.unrecognisedMs)}: drover explain ${agent.name})` : '';
  return `${agent.name.padEnd(16)} ${agent.provider.padEnd(9)} ${`${agent.status}${exit}`.padEnd(22)} ${ago(agent.since).padStart(4)}  ${agent.cwd}${unrecognised}`;
}

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/** What explain says of a screen no rule has recognised for a while. */
function unrecognisedNote(name: string, status: string, ms: number | undefined): string[] {
  if (!ms) return [];
  return [`no rule has recognised ${name}'s screen for ${seconds(ms)}: it stays "${status}", the last status drover could tell (its CLI may have changed what it draws; drover logs ${name} has the recording)`];
}

export async function spawnCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      cwd: { type: 'string' },
      prompt: { type: 'string' },
      worktree: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const [provider, ...args] = positionals;
  if (!provider) throw new UsageError(`spawn needs a provider: ${agentsUsage.split('\n')[0]}`);
  const host = process.env.DROVER_HOST;
  // This machine's folder means nothing on another.
  if (host && !values.cwd) throw new UsageError(`spawn on ${host} needs --cwd DIR, a folder on ${host}`);
  return withClient(async (client) => {
    const agent = await client.call('agents.spawn', {
      provider,
      ...(values.name ? { name: values.name } : {}),
      cwd: values.cwd ?? process.cwd(),
      args,
      ...(values.prompt ? { prompt: values.prompt } : {}),
      ...(values.worktree ? { worktree: values.worktree } : {}),
    });
    print(values.json, agent, () => `spawned ${agent.name} (${agent.provider}, pid ${agent.pid ?? '?'}): ${agent.status}`);
    return 0;
  });
}

export async function lsCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' } } });
  return withClient(async (client) => {
    const { agents, stateWriteProblem } = await client.call('agents.list');
    // On stderr, so `ls --json` stays parseable. The statuses listed are the last ones stored.
    if (stateWriteProblem) {
      const since = new Date(stateWriteProblem.since).toLocaleTimeString();
      process.stderr.write(
        `drover: the state file cannot be written since ${since} (${stateWriteProblem.message}): status changes are held and retried; free disk space or fix the state folder's permissions\n`,
      );
    }
    print(values.json, agents, () => (agents.length ? agents.map(line).join('\n') : 'no agents (drover spawn PROVIDER)'));
    return 0;
  });
}

function oneAgent(argv: string[], verb: string) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      ...(verb === 'kill' ? { force: { type: 'boolean' as const }, 'remove-worktree': { type: 'boolean' as const } } : {}),
      ...(verb === 'logs' ? { text: { type: 'boolean' as const } } : {}),
    },
  });
  if (!positionals[0]) throw new UsageError(`${verb} needs an agent name (see drover ls)`);
  return {
    values: values as { json?: boolean; force?: boolean; 'remove-worktree'?: boolean; text?: boolean },
    name: positionals[0],
    rest: positionals.slice(1),
  };
}

export async function statusCommand(argv: string[]): Promise<number> {
  const { values, name } = oneAgent(argv, 'status');
  return withClient(async (client) => {
    const agent = await client.call('agents.get', { agent: name });
    print(values.json, agent, () => `${line(agent)}${agent.statusRule ? `\n  decided by ${agent.statusRule}` : ''}`);
    return 0;
  });
}

export async function screenCommand(argv: string[]): Promise<number> {
  const { values, name } = oneAgent(argv, 'screen');
  return withClient(async (client) => {
    const screen = await client.call('agents.screen', { agent: name });
    print(values.json, screen, () => screen.lines.join('\n'));
    return 0;
  });
}

/**
 * The agent's answer in its latest turn, as the model wrote it: from the CLI's own transcript
 * (exact, any length) where there is one, else read from its screen. Nothing readable: one line on
 * stderr, exit 1.
 */
export async function lastCommand(argv: string[]): Promise<number> {
  const { values, name } = oneAgent(argv, 'last');
  return withClient(async (client) => {
    const result = await client.call('agents.lastResponse', { agent: name });
    if (values.json) {
      print(true, result, () => '');
      return result.text === undefined ? 1 : 0;
    }
    if (result.text === undefined) {
      process.stderr.write(`drover: ${result.name} (${result.status}) has no answer to read in its latest turn (drover screen ${result.name})\n`);
      return 1;
    }
    process.stdout.write(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
    return 0;
  });
}

export async function killCommand(argv: string[]): Promise<number> {
  const { values, name } = oneAgent(argv, 'kill');
  return withClient(async (client) => {
    const agent = await client.call('agents.kill', {
      agent: name,
      force: Boolean(values.force),
      removeWorktree: Boolean(values['remove-worktree']),
    });
    print(values.json, agent, () => line(agent));
    return 0;
  });
}

export async function explainCommand(argv: string[]): Promise<number> {
  const { values, name } = oneAgent(argv, 'explain');
  return withClient(async (client) => {
    const result = await client.call('agents.explain', { agent: name });
    print(values.json, result, () => {
      const [winner, ...others] = result.matched;
      const note = unrecognisedNote(name, result.status, result.unrecognisedMs);
      if (!winner) return [`${name}: ${result.status}; no rule matches its screen now`, ...note].join('\n');
      return [`${name}: ${result.status}; on screen now: ${ruleLine(winner)}`, ...quoted(winner.text), ...alsoMatched(others), ...note].join('\n');
    });
    return 0;
  });
}

export async function logsCommand(argv: string[]): Promise<number> {
  const { values, name } = oneAgent(argv, 'logs');
  return withClient(async (client) => {
    const agent = await client.call('agents.get', { agent: name });
    if (!values.text) {
      print(values.json, { agent: agent.name, recording: agent.recording }, () => `${agent.recording ?? '(none)'}`);
      return 0;
    }
    if (!agent.recording) throw new UsageError(`${agent.name} has no recording`);
    const { transcript } = await import('../terminal/transcript.ts'); // the emulator: only for --text
    const lines = await transcript(agent.recording);
    print(values.json, { agent: agent.name, recording: agent.recording, lines }, () => lines.join('\n'));
    return 0;
  });
}

/**
 * What the agent changed in its folder, by git itself (your pager and colours): the diff against
 * HEAD (staged and not), then the files git does not track yet. Nothing in its repository is touched.
 */
export async function diffCommand(argv: string[]): Promise<number> {
  const { name, rest } = oneAgent(argv, 'diff');
  return withClient(async (client) => {
    const agent = await client.call('agents.get', { agent: name });
    const { execa } = await import('execa');
    const inRepo = await execa('git', ['-C', agent.cwd, 'rev-parse', '--is-inside-work-tree'], { reject: false });
    if (inRepo.exitCode !== 0) throw new UsageError(`${agent.name} works in ${agent.cwd}, which is not in a git repository: nothing to diff`);
    const diff = await execa('git', ['-C', agent.cwd, 'diff', 'HEAD', ...rest], { stdio: 'inherit', reject: false });
    const untracked = await execa('git', ['-C', agent.cwd, 'ls-files', '--others', '--exclude-standard'], { reject: false });
    if (untracked.stdout) process.stdout.write(`\nuntracked files (new, not in git yet):\n${untracked.stdout.replace(/^/gm, '  ')}\n`);
    return diff.exitCode ?? 0;
  });
}

export async function restartCommand(argv: string[]): Promise<number> {
  return relaunch(argv, 'restart');
}

export async function resumeCommand(argv: string[]): Promise<number> {
  return relaunch(argv, 'resume');
}

async function relaunch(argv: string[], mode: 'restart' | 'resume'): Promise<number> {
  const { values, name } = oneAgent(argv, mode);
  return withClient(async (client) => {
    const agent = await client.call(mode === 'restart' ? 'agents.restart' : 'agents.resume', { agent: name });
    print(values.json, agent, () => `${mode === 'restart' ? 'restarted' : 'resumed'} ${agent.name} (pid ${agent.pid ?? '?'}): ${agent.status}`);
    return 0;
  });
}

export async function rmCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, 'all-exited': { type: 'boolean' } },
  });
  const allExited = Boolean(values['all-exited']);
  if (allExited === Boolean(positionals[0])) throw new UsageError('rm needs an agent name or --all-exited (not both): drover rm NAME | drover rm --all-exited');
  return withClient(async (client) => {
    const { removed } = await client.call('agents.remove', allExited ? { allExited } : { agent: positionals[0]! });
    print(values.json, removed, () => {
      if (removed.length === 0) return 'no exited agents to remove';
      return removed
        .map((agent) => {
          const also = [
            ...(agent.failedMessages ? [`${agent.failedMessages} queued message(s) marked failed`] : []),
            ...(agent.staleApprovals ? [`${agent.staleApprovals} pending request(s) settled stale`] : []),
          ];
          return `removed ${agent.name}; its recordings stay in ${path.dirname(agent.recording)}/${agent.name}-${agent.id}*.cast${also.length ? `; ${also.join(', ')}` : ''}`;
        })
        .join('\n');
    });
    return 0;
  });
}

export async function mvCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' } } });
  const [from, to] = positionals;
  if (!from || !to || positionals.length > 2) throw new UsageError('mv needs the agent and its new name: drover mv OLD NEW');
  return withClient(async (client) => {
    const agent = await client.call('agents.rename', { agent: from, name: to });
    print(values.json, agent, () => `renamed ${agent.previousName} to ${agent.name}${agent.movedMessages ? `; ${agent.movedMessages} queued message(s) follow it` : ''}`);
    return 0;
  });
}
