import { Box, Text } from 'ink';
import type { AgentSummary } from '../../protocol/schema.ts';
import { statusLabel } from '../format.ts';
import { previewLines } from '../screen-lines.ts';
import type { Preview as PreviewState } from '../state.ts';
import { useTheme } from '../theme.ts';
import { PaneTitle } from './pane-title.tsx';

interface PreviewProps {
  agent?: AgentSummary;
  preview?: PreviewState;
  width: number;
  height: number;
}

/** The selected agent's screen, live, cropped to the pane (left border included in `width`). */
export function Preview({ agent, preview, width, height }: PreviewProps) {
  const { colour } = useTheme();
  const inner = width - 1;
  const rows = height - 1;
  const current = preview && agent && preview.agent === agent.id ? preview : undefined;
  const windowTitle = current && 'screen' in current ? current.screen.title : '';
  const title = agent ? `${agent.name} · ${statusLabel(agent)}${windowTitle ? ` · ${windowTitle}` : ''}` : 'preview';
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden" borderStyle="single" borderTop={false} borderRight={false} borderBottom={false} borderDimColor>
      <PaneTitle text={title} focused={false} width={inner} />
      {current &&
        'screen' in current &&
        previewLines(current.screen, inner, rows, colour).map((line, y) => (
          // An empty Text takes no row: a space keeps blank lines in place.
          <Text key={y} wrap="truncate-end">
            {line || ' '}
          </Text>
        ))}
      {current && 'error' in current && <Text dimColor wrap="truncate-end">{` ${current.error}`}</Text>}
    </Box>
  );
}
