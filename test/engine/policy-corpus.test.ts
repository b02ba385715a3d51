/**
 * D10: policies and the built-in deny list on a corpus of dangerous spellings and harmless
 * look-alikes (test/engine/policy-corpus.ts). The rates are README's.
 */
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/policy.ts';
import type { Policy } from '../../src/store/config.ts';
import { DANGEROUS, HARMLESS } from './policy-corpus.ts';

const ask = (summary: string, policies: Policy[] = []) => decide({ provider: 'claude', tool: 'Bash command', summary }, policies);
const allowAll: Policy[] = [{ id: 'yolo', action: 'allow', tool: 'Bash command' }];
/** Python and Perl delete inside their own code, where no shell parser looks: the known misses. */
const INTERPRETED = DANGEROUS.filter((line) => /^(python3 -c|perl -e)/.test(line));

describe('the policy corpus', () => {
  it('is large enough to measure', () => {
    expect(DANGEROUS.length).toBeGreaterThanOrEqual(100);
    expect(HARMLESS.length).toBeGreaterThanOrEqual(30);
  });

  it('never auto-approves a dangerous line under an allow-everything policy, but code inside an interpreter', () => {
    const approved = DANGEROUS.filter((line) => ask(line, allowAll).action === 'allow');
    expect(approved).toEqual(INTERPRETED);
    const denied = DANGEROUS.filter((line) => ask(line).action === 'deny');
    const waits = DANGEROUS.filter((line) => ask(line).action === 'ask');
    // README: "n of N denied by the built-in list, the rest but two wait for a person".
    console.log(`D10 corpus: ${DANGEROUS.length} dangerous: ${denied.length} denied by the built-in list, ${waits.length - INTERPRETED.length} wait for a person, ${approved.length} approved under allow-all; ${HARMLESS.length} harmless`);
    expect(denied.length).toBeGreaterThanOrEqual(125);
  });

  it('denies none of the harmless look-alikes, and allow-everything allows them all', () => {
    expect(HARMLESS.filter((line) => ask(line).action === 'deny')).toEqual([]);
    expect(HARMLESS.filter((line) => ask(line, allowAll).action !== 'allow')).toEqual([]);
  });

  it('anchors a command policy and applies it to every command of the line', () => {
    const tests: Policy[] = [{ id: 'tests', action: 'allow', command: 'npm test' }];
    expect(ask('npm test', tests)).toMatchObject({ action: 'allow', rule: 'tests' });
    expect(ask('FOO=1 timeout 60 npm test', tests)).toMatchObject({ action: 'allow', rule: 'tests' });
    expect(ask('npm test && rm -rf "$HOME"', tests)).toMatchObject({ action: 'deny', rule: 'builtin:rm-root-or-home' });
    expect(ask('npm test && echo done', tests)).toMatchObject({ action: 'ask', reason: 'no policy covers "echo done"' });
    expect(ask('npm testing', tests)).toMatchObject({ action: 'ask' });
    expect(ask('npm test > /etc/profile', tests)).toMatchObject({ action: 'ask', reason: 'no policy covers "npm test > /etc/profile"' });
    expect(ask('npm test 2>&1 | tee log.txt', [...tests, { id: 'tee', action: 'allow', command: 'tee log\\.txt' }])).toMatchObject({ action: 'allow', rule: 'tests,tee' });
    expect(ask('bash -c "npm test; git push --force"', [{ id: 'no-force', action: 'deny', command: 'git push .*--force.*' }, ...tests])).toMatchObject({ action: 'deny', rule: 'no-force' });
    // xargs adds words at run time: no policy can vouch for what it runs.
    expect(ask('ls | xargs npm test', [...tests, { id: 'ls', action: 'allow', command: 'ls' }])).toMatchObject({ action: 'ask', reason: '"npm test" gets more words at run time' });
    expect(ask('ls | xargs cat', allowAll)).toMatchObject({ action: 'ask' });
  });
});
