import { describe, expect, it } from 'vitest';
import { editText, textField } from '../../src/tui/text-field.ts';

describe('editText', () => {
  it('inserts at the cursor, moves, deletes, clears, and turns a pasted line break into a space', () => {
    let field = textField('held');
    const type = (name: string, input = name) => {
      const edit = editText(field, name, input);
      if (edit.kind === 'changed') field = edit.field;
      return edit.kind;
    };
    type('left');
    type('left');
    type('X');
    expect(field).toEqual({ value: 'heXld', cursor: 3 });
    type('backspace', '');
    type('end', '');
    type(' one\r\ntwo');
    expect(field.value).toBe('held one two');
    expect(type('C-u', 'u')).toBe('changed');
    expect(field).toEqual({ value: '', cursor: 0 });
    expect(type('backspace', '')).toBe('ignored');
    expect(type('C-x', 'x')).toBe('ignored');
    expect(type('enter', '')).toBe('submit');
    expect(type('esc', '')).toBe('cancel');
  });
});
