import { Box, Text } from 'ink';
import { bindings, type Binding } from '../keymap.ts';
import type { Mode, Notice, Pane } from '../state.ts';
import { useTheme } from '../theme.ts';
import { TextInput } from './text-input.tsx';

const SEPARATOR = '  ';

/**
 * The keys that fit the width, each with its hint word: a dead agent's (resume, restart, remove) first
 * when the selected one has exited, then the focused pane's, then the global ones; `? help` always
 * shows, since the help has the rest.
 */
export function hints(pane: Pane, selectedExited: boolean, width: number): string {
  const hinted = bindings.filter((b) => b.hint !== undefined);
  const exited = selectedExited && pane === 'agents' ? hinted.filter((b) => b.hintWhenExited) : [];
  const own = hinted.filter((b) => b.pane === pane && !b.hintWhenExited);
  const global = hinted.filter((b) => b.pane === 'any' && b.command !== 'help');
  const label = (b: Binding) => `${b.keys[0]} ${b.hint}`;
  const help = label(bindings.find((b) => b.command === 'help')!);
  const shown: string[] = [];
  let used = help.length;
  for (const b of [...exited, ...own, ...global]) {
    const next = used + SEPARATOR.length + label(b).length;
    if (next > width) break;
    shown.push(label(b));
    used = next;
  }
  return [...shown, help].join(SEPARATOR);
}

/** A reader's keys (the whole list is in the help). */
const READING_HINTS = 'j k line  pgup pgdn page  / search  n N match  w wrap  z zoom  esc back';

/** The bottom row: a question, the filter being typed, the last notice, or the keys. */
export function StatusLine({ mode, notice, pane, reading, selectedExited, width }: { mode: Mode; notice?: Notice; pane: Pane; reading: boolean; selectedExited: boolean; width: number }) {
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
        {reading ? READING_HINTS : hints(pane, selectedExited, width)}
      </Text>
    );
  }
  return (
    <Box width={width} height={1} overflowY="hidden">
      {content}
    </Box>
  );
}
