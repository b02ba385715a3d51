/**
 * Git worktrees for agents that should work on their own branch: one folder per agent, made with
 * `git worktree add`, refused when it would take over a tree with uncommitted work, and removed
 * only when asked and only when clean.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { UserError } from '../errors.ts';

export class WorktreeError extends UserError {}

async function git(cwd: string, args: string[]): Promise<string> {
  const result = await execa('git', args, { cwd, reject: false });
  if (result.exitCode !== 0) {
    throw new WorktreeError(`git ${args[0]} failed in ${cwd}: ${(result.stderr || result.stdout).split('\n')[0]}`);
  }
  return result.stdout.trim();
}

async function isDirty(tree: string): Promise<boolean> {
  return (await git(tree, ['status', '--porcelain'])) !== '';
}

/**
 * A worktree of the repository at `cwd` on `branch`, at `<base>/<branch>`; made when missing
 * (`created`: the caller may take it away again if what it was for fails).
 */
export async function ensureWorktree(cwd: string, branch: string, base: string): Promise<{ path: string; branch: string; created: boolean }> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(branch) || branch.includes('..')) {
    throw new WorktreeError(`invalid branch name for --worktree: "${branch}"`);
  }
  const repo = await git(cwd, ['rev-parse', '--show-toplevel']).catch(() => {
    throw new WorktreeError(`--worktree needs a git repository, and ${cwd} is not in one`);
  });
  const tree = path.join(base, path.basename(repo), branch.replaceAll('/', '-'));
  if (existsSync(tree)) {
    if (await isDirty(tree)) {
      throw new WorktreeError(`worktree ${tree} has uncommitted changes: commit or clean them, or pick another branch`);
    }
    return { path: tree, branch, created: false };
  }
  const exists = (await execa('git', ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], { cwd: repo, reject: false })).exitCode === 0;
  await git(repo, exists ? ['worktree', 'add', tree, branch] : ['worktree', 'add', '-b', branch, tree]);
  return { path: tree, branch, created: true };
}

/** Removes a worktree the user asked to remove; one with uncommitted work is kept. */
export async function removeWorktree(tree: string): Promise<void> {
  if (!existsSync(tree)) return;
  if (await isDirty(tree)) throw new WorktreeError(`worktree ${tree} has uncommitted changes: kept (commit or clean it first)`);
  await git(tree, ['worktree', 'remove', tree]);
}
