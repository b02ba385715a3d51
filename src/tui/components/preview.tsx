import { Box, Text } from 'ink';
import type { AgentSummary } from '../../protocol/schema.ts';
import { statusLabel } from '../format.ts';
import type { Preview as PreviewState } from '../state.ts';
import { PaneTitle } from './pane-title.tsx';

interface PreviewProps {
  agent?: AgentSummary;
  preview?: PreviewState;
  width: number;
  height: number;
}

/**
 * The preview pane: its title (the agent and drover's status) and, when its screen cannot be
 * shown, why. The screen's rows are painted into the pane outside Ink (PreviewPainter).
 */
export function Preview({ agent, preview, width, height }: PreviewProps) {
  const inner = width - 1;
  const error = preview && agent && preview.agent === agent.id ? preview.error : undefined;
  const title = agent ? `${agent.name} · ${statusLabel(agent)}` : 'preview';
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden" borderStyle="single" borderTop={false} borderRight={false} borderBottom={false} borderDimColor>
      <PaneTitle text={title} focused={false} width={inner} />
      {error && <Text dimColor wrap="truncate-end">{` ${error}`}</Text>}
    </Box>
  );
}
