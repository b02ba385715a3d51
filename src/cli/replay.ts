import { parseArgs } from 'node:util';
import { replayRecording } from '../engine/replay.ts';
import { resolveProvider } from '../providers/index.ts';
import type { Detector } from '../status/detector.ts';
import type { StatusChange } from '../status/status.ts';
import { loadConfig } from '../store/config.ts';
import { nonNegativeNumber, oneOf } from './args.ts';
import { alsoMatched, quoted, ruleLine } from './explanation.ts';
import { UsageError } from './errors.ts';
import { replayUsage } from './usage.ts';

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
  const provider = resolveProvider(values.provider ?? 'generic', config.providers);
  const until = values.at === undefined ? undefined : nonNegativeNumber(values.at, '--at');
  const result = await replayRecording(positionals[0]!, provider.detect, { until });
  try {
    const out: string[] = [];
    if (format === 'screen') {
      out.push(...result.screen.lines());
    } else if (format === 'explain') {
      out.push(...explainScreen(provider.id, provider.detect, result.screen.lines(), result.screen.title));
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

function explainScreen(id: string, detector: Detector, lines: string[], title: string): string[] {
  if (detector.rules.length === 0) return [`provider ${id} has no rules: it judges by screen movement only`];
  const { winner, matched } = detector.explain(lines, title);
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
