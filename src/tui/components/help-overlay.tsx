import { Box, Text } from 'ink';
import { fitWidth } from '../format.ts';
import { helpLines, helpPage } from '../help.ts';
import { PaneTitle } from './pane-title.tsx';

const KEY_WIDTH = 12;

/** The help, in as many columns as the width allows, scrolled to `top` when it does not fit; other keys close it. */
export function HelpOverlay({ detachKey, size, top }: { detachKey: string; size: { cols: number; rows: number }; top: number }) {
  const lines = helpLines(detachKey);
  const page = helpPage(size, top);
  const { columnWidth, rows } = page;
  const shown = lines.slice(page.top, page.top + page.columnCount * rows);
  const columns = Array.from({ length: page.columnCount }, (_, c) => shown.slice(c * rows, (c + 1) * rows));
  const title = page.scrolls
    ? `KEYS  ${page.top + 1}–${page.top + shown.length} of ${lines.length}  (j k pgdn pgup scroll, any other key closes)`
    : 'KEYS  (any key closes this)';
  return (
    <Box flexDirection="column" width={size.cols} height={rows + 1} overflowY="hidden">
      <PaneTitle text={title} focused width={size.cols} />
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
