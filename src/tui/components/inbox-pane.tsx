import { Box, Text } from 'ink';
import type { MessageView } from '../../protocol/schema.ts';
import { fitWidth } from '../format.ts';
import { unread, type TextField } from '../state.ts';
import { PaneTitle } from './pane-title.tsx';
import { scrollWindow } from './scroll.ts';
import { TextInput } from './text-input.tsx';

const STATE_MARKS: Record<MessageView['state'], string> = { pending: '…', delivering: '↦', delivered: '✓', failed: '✗' };
/** A message in the user's own inbox not yet seen. */
const UNREAD_MARK = '•';

interface InboxPaneProps {
  messages: MessageView[];
  selected?: string;
  focused: boolean;
  /** A message being written, and to whom. */
  compose?: { to: string; text: TextField };
  width: number;
  height: number;
}

/** Messages still on their way to agents, failed ones, and the user's own (• not yet read), newest first. */
export function InboxPane({ messages, selected, focused, compose, width, height }: InboxPaneProps) {
  const at = Math.max(0, messages.findIndex((m) => m.id === selected));
  const rows = height - 1 - (compose ? 1 : 0);
  const [from, to] = scrollWindow(messages.length, at, rows);
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden" borderStyle="single" borderTop={false} borderRight={false} borderBottom={false} borderDimColor>
      <PaneTitle text={`INBOX ${messages.length}`} focused={focused} width={width - 1} />
      {compose && <TextInput label={` to ${compose.to}: `} field={compose.text} width={width - 1} />}
      {messages.length === 0 && !compose && <Text dimColor wrap="truncate-end"> no messages (m writes to the selected agent)</Text>}
      {messages.slice(from, to).map((message) => {
        const isSelected = message.id === messages[at]?.id;
        const mark = unread(message) ? UNREAD_MARK : STATE_MARKS[message.state];
        const line = `${isSelected ? '›' : ' '}${mark} ${message.from}→${message.to}  ${message.body.replace(/\s+/g, ' ')}`;
        return (
          <Text key={message.id} inverse={isSelected && focused} bold={isSelected}>
            {fitWidth(line, width - 1)}
          </Text>
        );
      })}
    </Box>
  );
}
