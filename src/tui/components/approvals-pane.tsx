import { Box, Text } from 'ink';
import type { ApprovalView } from '../../protocol/schema.ts';
import { fitWidth } from '../format.ts';
import { offersAlways } from '../state.ts';
import { PaneTitle } from './pane-title.tsx';
import { scrollWindow } from './scroll.ts';

interface ApprovalsPaneProps {
  approvals: ApprovalView[];
  selected?: string;
  focused: boolean;
  width: number;
  height: number;
}

/** Pending permission requests across agents: who asks, for which tool, on what. */
export function ApprovalsPane({ approvals, selected, focused, width, height }: ApprovalsPaneProps) {
  const at = Math.max(0, approvals.findIndex((a) => a.id === selected));
  const [from, to] = scrollWindow(approvals.length, at, height - 1);
  const current = approvals[at];
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden">
      <PaneTitle text={`APPROVALS ${approvals.length}`} focused={focused} width={width} />
      {approvals.length === 0 && <Text dimColor wrap="truncate-end"> nothing waits for approval</Text>}
      {approvals.slice(from, to).map((approval) => {
        const isSelected = approval.id === current?.id;
        // The answers it takes, so "a" is known to work before it is pressed.
        const answers = offersAlways(approval) ? 'y/a/n' : 'y/n';
        return (
          <Text key={approval.id} inverse={isSelected && focused} bold={isSelected}>
            {fitWidth(`${isSelected ? '›' : ' '}${approval.agentName}  ${approval.tool}: ${approval.summary}`, width - 6)} {answers.padEnd(5)}
          </Text>
        );
      })}
    </Box>
  );
}
