import { Box, Text } from 'ink';
import { bindings, keysLabel, modeKeys } from '../keymap.ts';
import { fitWidth } from '../format.ts';
import { PANES } from '../state.ts';
import { PaneTitle } from './pane-title.tsx';

const KEY_WIDTH = 12;
const COLUMN_MIN = 40;

type Line = { heading: string } | { keys: string; help: string };

/** Every key, from the keymap: per pane, then the dialogs', then the detach key. */
function helpLines(detachKey: string): Line[] {
  const lines: Line[] = [];
  for (const pane of ['any', ...PANES] as const) {
    lines.push({ heading: pane === 'any' ? 'anywhere' : `${pane} pane` });
    for (const b of bindings.filter((b) => b.pane === pane)) lines.push({ keys: keysLabel(b), help: b.help });
  }
  for (const section of modeKeys) {
    lines.push({ heading: section.title });
    for (const [keys, help] of section.keys) lines.push({ keys, help });
  }
  lines.push({ heading: 'attached to an agent' }, { keys: detachKey, help: 'detach; it runs on' });
  return lines;
}

/** The help, in as many columns as the width allows; any key closes it. */
export function HelpOverlay({ detachKey, width, height }: { detachKey: string; width: number; height: number }) {
  const lines = helpLines(detachKey);
  const rows = height - 1;
  const columnCount = Math.max(1, Math.min(Math.floor(width / COLUMN_MIN), Math.ceil(lines.length / rows)));
  const columnWidth = Math.floor(width / columnCount);
  const columns = Array.from({ length: columnCount }, (_, c) => lines.slice(c * rows, (c + 1) * rows));
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden">
      <PaneTitle text="KEYS  (any key closes this)" focused width={width} />
      <Box flexDirection="row">
        {columns.map((column, c) => (
          <Box key={c} flexDirection="column" width={columnWidth}>
            {column.map((line, i) =>
              'heading' in line ? (
                <Text key={i} bold>
                  {fitWidth(line.heading, columnWidth - 1)}
                </Text>
              ) : (
                <Text key={i}>{fitWidth(`  ${line.keys.padEnd(KEY_WIDTH)} ${line.help}`, columnWidth - 1)}</Text>
              ),
            )}
          </Box>
        ))}
      </Box>
    </Box>
  );
}
