import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWorktree, removeWorktree } from '../../src/engine/worktree.ts';

const root = mkdtempSync(path.join(tmpdir(), 'drover-worktree-'));
const repo = path.join(root, 'project');
const base = path.join(root, 'worktrees');
const gitEnv = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' };

beforeAll(async () => {
  await execa('git', ['init', '-q', '-b', 'main', repo]);
  writeFileSync(path.join(repo, 'README'), 'hi\n');
  await execa('git', ['add', '.'], { cwd: repo });
  await execa('git', ['commit', '-q', '-m', 'first'], { cwd: repo, env: gitEnv });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('agent worktrees', () => {
  it('makes a worktree on a new branch, and reuses it while clean', async () => {
    const tree = await ensureWorktree(repo, 'feature/x', base);
    expect(tree).toEqual({ path: path.join(base, 'project', 'feature-x'), branch: 'feature/x', created: true });
    expect(existsSync(path.join(tree.path, 'README'))).toBe(true);
    const { stdout } = await execa('git', ['branch', '--show-current'], { cwd: tree.path });
    expect(stdout).toBe('feature/x');
    expect(await ensureWorktree(repo, 'feature/x', base)).toEqual({ ...tree, created: false });
  });

  it('refuses to take over, or remove, a tree with uncommitted work', async () => {
    const tree = path.join(base, 'project', 'feature-x');
    writeFileSync(path.join(tree, 'draft.txt'), 'work in progress\n');
    await expect(ensureWorktree(repo, 'feature/x', base)).rejects.toThrow(/has uncommitted changes: commit or clean them/);
    await expect(removeWorktree(tree)).rejects.toThrow(/has uncommitted changes: kept/);
    rmSync(path.join(tree, 'draft.txt'));
    await removeWorktree(tree);
    expect(existsSync(tree)).toBe(false);
  });

  it('says so outside a repository or for a bad branch name', async () => {
    await expect(ensureWorktree(root, 'x', base)).rejects.toThrow(`--worktree needs a git repository, and ${root} is not in one`);
    await expect(ensureWorktree(repo, '../escape', base)).rejects.toThrow('invalid branch name');
  });
});
