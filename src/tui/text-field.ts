/** Editing a single-line text field: one key at a time, as a pure function. */
import type { TextField } from './state.ts';

export type Edit = { kind: 'changed'; field: TextField } | { kind: 'submit' } | { kind: 'cancel' } | { kind: 'ignored' };

export function textField(value = ''): TextField {
  return { value, cursor: value.length };
}

/** `name` is keyName()'s; when it equals `input` the key typed text (or a paste) to insert. */
export function editText(field: TextField, name: string, input: string): Edit {
  const { value, cursor } = field;
  const changed = (next: string, at: number): Edit => ({ kind: 'changed', field: { value: next, cursor: at } });
  switch (name) {
    case 'enter':
      return { kind: 'submit' };
    case 'esc':
      return { kind: 'cancel' };
    case 'left':
      return changed(value, Math.max(0, cursor - 1));
    case 'right':
      return changed(value, Math.min(value.length, cursor + 1));
    case 'home':
    case 'C-a':
      return changed(value, 0);
    case 'end':
    case 'C-e':
      return changed(value, value.length);
    case 'backspace':
      return cursor === 0 ? { kind: 'ignored' } : changed(value.slice(0, cursor - 1) + value.slice(cursor), cursor - 1);
    case 'C-u':
      return changed('', 0);
  }
  if (name !== input || !input) return { kind: 'ignored' };
  // A paste arrives as one input: its line breaks become spaces, other control bytes go.
  const text = input.replace(/\r\n?|\n/g, ' ').replace(/[\x00-\x1f\x7f]/g, '');
  if (!text) return { kind: 'ignored' };
  return changed(value.slice(0, cursor) + text + value.slice(cursor), cursor + text.length);
}
