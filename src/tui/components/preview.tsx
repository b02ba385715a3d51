import { Box, Text } from 'ink';
import type { AgentSummary } from '../../protocol/schema.ts';
import { statusLabel } from '../format.ts';
import type { Preview as PreviewState } from '../state.ts';
import { PaneTitle } from './pane-title.tsx';

interface PreviewProps {
  agent?: AgentSummary;
  preview?: PreviewState;
  /** The title of what is being read instead of the live screen (a reader). */
  title?: string;
  width: number;
  height: number;
  /** The whole screen (zoomed, or a transcript or diff): no border on its left. */
  full?: boolean;
}

/**
 * The preview pane: its title (the agent and drover's status, or what is being read) and, when its
 * screen cannot be shown, why. The rows are painted into the pane outside Ink (PreviewPainter).
 */
export function Preview({ agent, preview, title, width, height, full = false }: PreviewProps) {
  const inner = full ? width : width - 1;
  const error = preview && agent && preview.agent === agent.id ? preview.error : undefined;
  const text = title ?? (agent ? `${agent.name} · ${statusLabel(agent)}` : 'preview');
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden" borderStyle="single" borderLeft={!full} borderTop={false} borderRight={false} borderBottom={false} borderDimColor>
      <PaneTitle text={text} focused={false} width={inner} />
      {error && !title && <Text dimColor wrap="truncate-end">{` ${error}`}</Text>}
    </Box>
  );
}
