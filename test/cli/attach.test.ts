import { describe, expect, it } from 'vitest';
import { parseDetachKey } from '../../src/client/passthrough.ts';

describe('attach detach key', () => {
  it('reads C-x and ^x notation', () => {
    expect(parseDetachKey('C-]')).toBe('\x1d');
    expect(parseDetachKey('^g')).toBe('\x07');
    expect(parseDetachKey('C-\\')).toBe('\x1c');
  });

  it('refuses keys that agents, tmux, terminals or the shell need', () => {
    for (const key of ['C-q', 'C-s', 'C-b', 'C-e', 'C-c', 'C-d']) {
      expect(() => parseDetachKey(key)).toThrow(/would collide/);
    }
    expect(() => parseDetachKey('ctrl+x')).toThrow('--detach-key must look like C-] or C-a, got "ctrl+x"');
  });
});
