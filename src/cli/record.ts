import { statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { parseArgs } from 'node:util';
import { AsciicastWriter } from '../terminal/asciicast.ts';
import { realClock } from '../terminal/clock.ts';
import { Pty } from '../terminal/pty.ts';
import { MAX_COLS, MAX_ROWS } from '../terminal/size.ts';
import { UsageError } from './errors.ts';
import { positiveInt } from './args.ts';
import { recordUsage } from './usage.ts';

export async function recordCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string', short: 'o' }, cols: { type: 'string' }, rows: { type: 'string' } },
  });
  const [command, ...args] = positionals;
  if (!command) throw new UsageError(`record needs a command: ${recordUsage.split('\n')[0]}`);
  const fixedSize = values.cols !== undefined || values.rows !== undefined;
  // A recording larger than drover emulates could not be replayed: a wider terminal records at the limit.
  const cols = values.cols !== undefined ? positiveInt(values.cols, '--cols', MAX_COLS) : Math.min(process.stdout.columns || 80, MAX_COLS);
  const rows = values.rows !== undefined ? positiveInt(values.rows, '--rows', MAX_ROWS) : Math.min(process.stdout.rows || 24, MAX_ROWS);
  const out = values.out ?? `drover-${new Date().toISOString().replace(/[:.]/g, '-')}.cast`;

  const folder = path.dirname(path.resolve(out));
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(`record --out ${out}: there is no folder ${folder} (create it, or write the recording elsewhere)`);
  }
  const pty = new Pty({ command, args, cols, rows, env: process.env });
  const writer = new AsciicastWriter(
    out,
    {
      width: cols,
      height: rows,
      timestamp: Math.floor(Date.now() / 1000),
      command: [command, ...args].join(' '),
      env: { TERM: process.env.TERM ?? 'xterm-256color', SHELL: process.env.SHELL ?? '/bin/sh' },
    },
    realClock,
  );

  pty.onData((data) => {
    process.stdout.write(data);
    writer.output(data);
  });

  const stdin = process.stdin;
  const decoder = new StringDecoder('utf8');
  const onInput = (chunk: Buffer) => {
    const text = decoder.write(chunk);
    if (!text) return;
    writer.input(text);
    pty.write(text);
  };
  if (stdin.isTTY) stdin.setRawMode(true);
  stdin.on('data', onInput);

  const onResize = () => {
    const newCols = Math.min(process.stdout.columns, MAX_COLS);
    const newRows = Math.min(process.stdout.rows, MAX_ROWS);
    if (!newCols || !newRows || (newCols === pty.cols && newRows === pty.rows)) return;
    pty.resize(newCols, newRows);
    writer.resize(newCols, newRows);
  };
  if (!fixedSize) process.stdout.on('resize', onResize);

  const exit = await pty.exited;
  stdin.off('data', onInput);
  process.stdout.off('resize', onResize);
  if (stdin.isTTY) stdin.setRawMode(false);
  stdin.pause();
  await writer.close();
  process.stderr.write(`drover: recorded ${out}\n`);
  return exit.code ?? 128 + signalNumber(exit.signal);
}

function signalNumber(signal: string | null): number {
  return (signal && osConstants.signals[signal as NodeJS.Signals]) || 1;
}
