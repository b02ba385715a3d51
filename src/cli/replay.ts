import { parseArgs } from 'node:util';
import { replayRecording } from '../engine/replay.ts';
import type { StatusChange } from '../engine/status.ts';
import { resolveProvider } from '../providers/index.ts';
import { loadConfig } from '../store/config.ts';
import type { AgentProvider, StatusProvider } from '../providers/types.ts';
import { nonNegativeNumber, oneOf } from './args.ts';
import { alsoMatched, quoted, ruleLine } from './explanation.ts';
import { UsageError } from './errors.ts';

export const replayUsage = `drover replay FILE.cast [--provider ID] [--format screen|jsonl|text|explain] [--at SECONDS] [--config FILE]
  Feed a recording through drover's pipeline on a virtual clock.
  screen: the final composited screen; jsonl: {"t","status","rule","detail"} per status change;
  text: the status timeline with the rule that decided each change (default);
  explain: for the last screen, the winning rule, the region text it read, and every rule that matched.
  --at stops the replay that many seconds into the recording. Providers and rule overrides come from
  the config ($XDG_CONFIG_HOME/drover/config.json, or --config FILE).`;

const FORMATS = ['screen', 'jsonl', 'text', 'explain'] as const;

export async function replayCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      provider: { type: 'string', short: 'p' },
      format: { type: 'string', short: 'f' },
      at: { type: 'string' },
      config: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError(`replay needs one recording: ${replayUsage.split('\n')[0]}`);
  const format = oneOf(values.format ?? 'text', FORMATS, '--format');
  const config = values.config ? loadConfig(values.config, { required: true }) : loadConfig();
  const provider = resolveProvider(values.provider ?? 'generic', config);
  const until = values.at === undefined ? undefined : nonNegativeNumber(values.at, '--at');
  const result = await replayRecording(positionals[0]!, provider, { until });
  try {
    const out: string[] = [];
    if (format === 'screen') {
      out.push(...result.screen.lines());
    } else if (format === 'explain') {
      out.push(...explainScreen(provider, result.screen.lines(), result.screen.title));
    } else if (format === 'jsonl') {
      for (const change of result.changes) out.push(JSON.stringify(toJsonLine(change)));
    } else {
      for (const change of result.changes) out.push(toTextLine(change));
    }
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    result.screen.dispose();
  }
  return 0;
}

function explainScreen(provider: StatusProvider, lines: string[], title: string): string[] {
  if (!('explain' in provider)) return [`provider ${provider.id} has no rules: it judges by screen movement only`];
  const { winner, matched } = (provider as AgentProvider).explain(lines, title);
  if (!winner) return ['no rule matched this screen'];
  return [
    `winner: ${ruleLine(winner)}`,
    ...(winner.detail ? [`detail: ${winner.detail}`] : []),
    'region text:',
    ...quoted(winner.text),
    ...alsoMatched(matched.slice(1)),
  ];
}

function seconds(ms: number): number {
  return Math.round(ms) / 1000;
}

function toJsonLine(change: StatusChange): Record<string, unknown> {
  return { t: seconds(change.at), status: change.status, rule: change.rule, ...(change.detail ? { detail: change.detail } : {}) };
}

function toTextLine(change: StatusChange): string {
  const t = `${seconds(change.at).toFixed(3)}s`.padStart(10);
  return `${t}  ${change.status.padEnd(16)}  ${change.rule}${change.detail ? `  ${change.detail}` : ''}`;
}
