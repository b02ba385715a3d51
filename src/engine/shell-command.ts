/**
 * A command line as the shell would run it, for policies: the simple commands it runs, each with
 * its words unquoted and its redirections apart, through lists and pipelines (`;` `&&` `||` `|`
 * `&`), assignments, wrappers that run the rest of their words (`env`, `command`, `sudo`, `nohup`,
 * `timeout`, …), `find -exec` and `sh -c STRING`. shell-quote does the lexing (quotes, escapes,
 * variables, operators); what it cannot represent exactly — subshells, `$(…)`, backticks,
 * here-docs, process substitution, compound commands, functions, `eval`, comments, a line break —
 * is returned as not understood, and waits for a person.
 */
import { parse, type ParseEntry } from 'shell-quote';

export interface SimpleCommand {
  /** Its words after assignments and wrappers: argv[0] is the program. */
  argv: string[];
  /** Redirection targets, by operator (`>`, `>>`, `<`, …). */
  redirects: Array<{ op: string; target: string }>;
  /** The wrappers it ran under (`sudo`, `env`, …), outermost first. */
  wrappers: string[];
  /** The programs before it in its pipeline (their output is its input). */
  fedBy: string[];
  /** More words come at run time (`xargs`, `find -exec … +`): its argv is not all it gets. */
  openEnded: boolean;
}

export type ParsedLine = { commands: SimpleCommand[] } | { notUnderstood: string };

const SEPARATORS = new Set([';', '&&', '||', '&', '|', '|&']);
const REDIRECTS = new Set(['>', '>>', '<', '>&', '<&', '<>', '>|', '&>', '&>>']);
/** Words that open a compound command or change how the rest is read. */
const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'select', 'function', '{', '}', '[[', ']]', '!', 'coproc', 'eval']);
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'fish', 'ash']);
/** How deep `sh -c "sh -c …"` is followed before it counts as not understood. */
const MAX_NESTING = 4;

/** A variable stays as `$NAME` (never expanded): `"$HOME"`, `$HOME` and `${HOME}` read alike. */
const keepVariable = (name: string) => `$${name}`;

export function parseCommandLine(text: string, depth = 0): ParsedLine {
  if (depth > MAX_NESTING) return { notUnderstood: 'shells nested too deep' };
  // shell-quote reads a line break as a space: two commands would read as one.
  if (/[\r\n]/.test(text)) return { notUnderstood: 'more than one line' };
  let entries: ParseEntry[];
  try {
    entries = parse(text, keepVariable);
  } catch (error) {
    return { notUnderstood: `unparsable (${(error as Error).message})` };
  }
  const commands: SimpleCommand[] = [];
  let words: string[] = [];
  let redirects: SimpleCommand['redirects'] = [];
  let pipeline: string[] = [];
  const end = (separator: string | undefined): string | undefined => {
    if (words.length === 0 && redirects.length === 0) return separator === undefined ? undefined : `nothing before ${separator}`;
    const unwrapped = unwrap(words, depth);
    if ('notUnderstood' in unwrapped) return unwrapped.notUnderstood;
    for (const command of unwrapped.commands) {
      commands.push({ ...command, redirects: [...command.redirects, ...redirects], fedBy: [...pipeline, ...command.fedBy] });
    }
    const programs = unwrapped.commands.flatMap((c) => (c.argv[0] ? [baseName(c.argv[0])] : []));
    pipeline = separator === '|' || separator === '|&' ? [...pipeline, ...programs] : [];
    words = [];
    redirects = [];
    return undefined;
  };
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (typeof entry === 'string') {
      if (entry.includes('`')) return { notUnderstood: 'a backtick command substitution' };
      words.push(entry);
    } else if ('comment' in entry) {
      // shell-quote also starts a comment at a '#' inside a word, which the shell does not.
      return { notUnderstood: 'a comment' };
    } else if (entry.op === 'glob') {
      words.push(entry.pattern);
    } else if (SEPARATORS.has(entry.op)) {
      const problem = end(entry.op);
      if (problem) return { notUnderstood: problem };
    } else if (REDIRECTS.has(entry.op)) {
      const target = entries[i + 1];
      if (typeof target !== 'string') return { notUnderstood: `a redirection ${entry.op} without a target` };
      // `2>file`: shell-quote splits the descriptor off as a word of its own.
      if (/^\d+$/.test(words.at(-1) ?? '')) words.pop();
      redirects.push({ op: entry.op, target });
      i++;
    } else {
      return { notUnderstood: `the shell syntax ${entry.op}` };
    }
  }
  const problem = end(undefined);
  return problem ? { notUnderstood: problem } : { commands };
}

type Unwrapped = { commands: SimpleCommand[] } | { notUnderstood: string };

/** The commands a list of words runs: through its wrappers, to what they run. */
function unwrap(words: string[], depth: number): Unwrapped {
  const wrappers: string[] = [];
  let openEnded = false;
  let rest = words;
  const command = (argv: string[]): SimpleCommand => ({ argv, redirects: [], wrappers: [...wrappers], fedBy: [], openEnded });
  for (;;) {
    const firstWord = rest.findIndex((word) => !/^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(word));
    if (firstWord < 0) return { commands: [command([])] };
    rest = rest.slice(firstWord);
    const program = rest[0]!;
    const name = baseName(program);
    if (KEYWORDS.has(name)) return { notUnderstood: `the shell keyword ${name}` };
    if (program.endsWith('()')) return { notUnderstood: 'a function definition' };
    const inner = wrapped(name, rest.slice(1));
    if (inner === undefined) return { commands: [command(rest)] };
    if ('notUnderstood' in inner) return inner;
    if ('script' in inner) {
      const parsed = parseCommandLine(inner.script, depth + 1);
      if ('notUnderstood' in parsed) return parsed;
      return { commands: parsed.commands.map((c) => ({ ...c, wrappers: [...wrappers, name, ...c.wrappers], openEnded: openEnded || c.openEnded })) };
    }
    if ('exec' in inner) {
      const run = unwrap(inner.exec, depth);
      if ('notUnderstood' in run) return run;
      return { commands: [command([program, ...inner.own]), ...run.commands.map((c) => ({ ...c, wrappers: [...wrappers, name, ...c.wrappers], openEnded: true }))] };
    }
    wrappers.push(name);
    openEnded ||= Boolean(inner.openEnded);
    rest = inner.words;
  }
}

export function baseName(program: string): string {
  // `\rm` and `/bin/rm` run rm.
  return program.replace(/^\\/, '').split('/').pop() ?? program;
}

/**
 * What a wrapper runs: the words of its command (`openEnded` when more come at run time, as with
 * `xargs`), a script (`sh -c`), its own words and a command it runs (`find -exec`), or undefined
 * when `name` wraps nothing.
 */
function wrapped(
  name: string,
  args: string[],
): { words: string[]; openEnded?: true } | { script: string } | { own: string[]; exec: string[] } | { notUnderstood: string } | undefined {
  /** Skips options (those in `withValue` take the next word) up to the first operand. */
  const afterOptions = (withValue: string[] = [], operands = 0): string[] => {
    let i = 0;
    while (i < args.length && args[i]!.startsWith('-') && args[i] !== '-') {
      if (args[i] === '--') {
        i++;
        break;
      }
      i += withValue.includes(args[i]!) ? 2 : 1;
    }
    return args.slice(i + operands);
  };
  switch (name) {
    case 'env': {
      if (args.some((a) => a === '-S' || a.startsWith('--split-string'))) return { notUnderstood: 'env -S' };
      return { words: afterOptions(['-u', '--unset', '-C', '--chdir']) };
    }
    case 'command':
    case 'builtin':
    case 'nohup':
    case 'setsid':
    case 'time':
    case 'exec':
      return { words: afterOptions(['-a']) };
    case 'nice':
      return { words: afterOptions(['-n', '--adjustment']) };
    case 'ionice':
      return { words: afterOptions(['-c', '-n', '-p', '-t']) };
    case 'stdbuf':
      return { words: afterOptions(['-i', '-o', '-e']) };
    case 'timeout':
      return { words: afterOptions(['-s', '--signal', '-k', '--kill-after'], 1) };
    case 'sudo':
    case 'doas':
    case 'pkexec':
    case 'run0':
      return { words: afterOptions(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '--user', '--group', '--chdir']) };
    case 'su': {
      const c = args.findIndex((a) => a === '-c' || a === '--command');
      return c >= 0 && args[c + 1] !== undefined ? { script: args[c + 1]! } : { words: [] };
    }
    case 'xargs':
      return { openEnded: true as const, words: afterOptions(['-a', '-d', '-E', '-I', '-L', '-n', '-P', '-s', '--arg-file', '--delimiter', '--max-args', '--max-procs']) };
    case 'find': {
      const exec = args.findIndex((a) => ['-exec', '-execdir', '-ok', '-okdir'].includes(a));
      if (exec < 0) return undefined;
      const stop = args.findIndex((a, i) => i > exec && (a === ';' || a === '+'));
      // Its own words keep the action (`-exec`) in place of the command it runs.
      return { own: [...args.slice(0, exec), args[exec]!, ...(stop < 0 ? [] : args.slice(stop + 1))], exec: args.slice(exec + 1, stop < 0 ? undefined : stop) };
    }
    default: {
      if (!SHELLS.has(name)) return undefined;
      // `bash -c STRING`, `bash -lc STRING`, `bash -x -c STRING`.
      const c = args.findIndex((a) => /^-[a-z]*c[a-z]*$/.test(a));
      if (c >= 0 && args.slice(0, c).every((a) => a.startsWith('-'))) return args[c + 1] === undefined ? { notUnderstood: `${name} -c without a script` } : { script: args[c + 1]! };
      return undefined;
    }
  }
}
