import { Box, Text } from 'ink';
import { bindings, type Binding } from '../keymap.ts';
import type { Mode, Notice, Pane } from '../state.ts';
import { useTheme } from '../theme.ts';
import { TextInput } from './text-input.tsx';

/** The focused pane's own keys, then the global ones, each with its hint word. */
function hints(pane: Pane): string {
  const shown = (b: Binding) => b.hint !== undefined;
  const own = bindings.filter((b) => b.pane === pane && shown(b));
  const global = bindings.filter((b) => b.pane === 'any' && shown(b));
  return [...own, ...global].map((b) => `${b.keys[0]} ${b.hint}`).join('  ');
}

/** A reader's keys (the whole list is in the help). */
const READING_HINTS = 'j k line  pgup pgdn page  / search  n N match  w wrap  z zoom  esc back';

/** The bottom row: a question, the filter being typed, the last notice, or the keys. */
export function StatusLine({ mode, notice, pane, reading, width }: { mode: Mode; notice?: Notice; pane: Pane; reading: boolean; width: number }) {
  const { fg } = useTheme();
  let content;
  if (mode.kind === 'kill') {
    content = (
      <Text bold wrap="truncate-end">
        Kill {mode.name}? y kills it, any other key keeps it
      </Text>
    );
  } else if (mode.kind === 'remove') {
    content = (
      <Text bold wrap="truncate-end">
        Remove {mode.name}? Its recordings stay; y removes it, any other key keeps it
      </Text>
    );
  } else if (mode.kind === 'rename') {
    content = <TextInput label={`rename ${mode.name} to `} field={mode.text} width={width} />;
  } else if (mode.kind === 'filter') {
    content = <TextInput label="filter /" field={mode.text} width={width} />;
  } else if (mode.kind === 'search') {
    content = <TextInput label="search /" field={mode.text} width={width} />;
  } else if (notice) {
    content = (
      <Text color={notice.error ? fg('red') : undefined} wrap="truncate-end">
        {notice.error ? `✗ ${notice.text}` : notice.text}
      </Text>
    );
  } else {
    content = (
      <Text dimColor wrap="truncate-end">
        {reading ? READING_HINTS : hints(pane)}
      </Text>
    );
  }
  return (
    <Box width={width} height={1} overflowY="hidden">
      {content}
    </Box>
  );
}
