import { Text } from 'ink';
import stringWidth from 'string-width';
import type { TextField } from '../state.ts';

/** A text field on one row: the label, then the text scrolled so the cursor (inverse) shows. */
export function TextInput({ label, field, width, focused = true }: { label: string; field: TextField; width: number; focused?: boolean }) {
  const room = Math.max(1, width - stringWidth(label) - 1);
  const start = Math.max(0, field.cursor - room + 1);
  const before = field.value.slice(start, field.cursor);
  const under = field.value[field.cursor] ?? ' ';
  const after = field.value.slice(field.cursor + 1, start + room);
  return (
    <Text wrap="truncate-end">
      {label}
      {before}
      <Text inverse={focused}>{under}</Text>
      {after}
    </Text>
  );
}
