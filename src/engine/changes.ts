/**
 * What an agent changed in its folder, by git itself: `git diff HEAD` there (staged and not), and
 * the files git does not track yet. Read only: nothing in the repository is touched.
 */
import { execa } from 'execa';
import { UserError } from '../errors.ts';

/** The most diff text handed on (a client shows it whole): past it, the diff is cut at a line. */
export const MAX_DIFF_CHARS = 8 * 1024 * 1024;

export interface Changes {
  diff: string;
  untracked: string[];
  truncated?: true;
}

export async function changesIn(cwd: string, who: string): Promise<Changes> {
  const inRepo = await execa('git', ['-C', cwd, 'rev-parse', '--is-inside-work-tree'], { reject: false });
  if (inRepo.exitCode !== 0) throw new UserError(`${who} works in ${cwd}, which is not in a git repository: nothing to diff`);
  const [diff, untracked] = await Promise.all([
    execa('git', ['-C', cwd, 'diff', 'HEAD', '--no-color', '--no-ext-diff'], { reject: false, maxBuffer: MAX_DIFF_CHARS * 4 }),
    execa('git', ['-C', cwd, 'ls-files', '--others', '--exclude-standard'], { reject: false }),
  ]);
  if (diff.exitCode !== 0) throw new UserError(`git diff failed in ${cwd}: ${(diff.stderr || diff.stdout).split('\n')[0]}`);
  const text = diff.stdout.length > MAX_DIFF_CHARS ? diff.stdout.slice(0, diff.stdout.lastIndexOf('\n', MAX_DIFF_CHARS)) : diff.stdout;
  return {
    diff: text,
    untracked: untracked.stdout ? untracked.stdout.split('\n') : [],
    ...(text.length < diff.stdout.length ? { truncated: true as const } : {}),
  };
}
