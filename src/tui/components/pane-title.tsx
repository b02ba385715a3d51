import { Text } from 'ink';
import { fitWidth } from '../format.ts';

/** A pane's title row: inverse while the pane has the keyboard, so focus reads without colour. */
export function PaneTitle({ text, focused, width }: { text: string; focused: boolean; width: number }) {
  return (
    <Text bold inverse={focused}>
      {fitWidth(` ${text}`, width)}
    </Text>
  );
}
