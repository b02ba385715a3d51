import { Box, Text } from 'ink';
import type { Counts } from '../state.ts';
import { useTheme } from '../theme.ts';

/** The top row: what needs attention, in numbers. */
export function Header({
  counts,
  width,
  unreachable,
  stateWriteProblems,
}: {
  counts: Counts;
  width: number;
  unreachable: Record<string, string>;
  stateWriteProblems: Record<string, string>;
}) {
  const { fg } = useTheme();
  const unsaved = Object.entries(stateWriteProblems);
  const needs = counts.needsYou > 0;
  const down = Object.entries(unreachable);
  if (down.length > 0) {
    return (
      <Box width={width} height={1} overflowY="hidden">
        <Text wrap="truncate-end">
          <Text bold>drover</Text>
          {'  '}
          <Text color={fg('red')} bold>
            reconnecting…
          </Text>{' '}
          <Text dimColor>{down.map(([host, why]) => (host ? `${host}: ${why}` : why)).join(' · ')}</Text>
        </Text>
      </Box>
    );
  }
  if (unsaved.length > 0) {
    // Statuses shown are the last ones stored: say so before anything else.
    return (
      <Box width={width} height={1} overflowY="hidden">
        <Text wrap="truncate-end">
          <Text bold>drover</Text>
          {'  '}
          <Text color={fg('red')} bold>
            state not saved, retrying:
          </Text>{' '}
          <Text dimColor>{unsaved.map(([host, why]) => (host ? `${host}: ${why}` : why)).join(' · ')}</Text>
        </Text>
      </Box>
    );
  }
  return (
    <Box width={width} height={1} overflowY="hidden">
      <Text wrap="truncate-end">
        <Text bold>drover</Text>
        {'  '}
        <Text color={fg('yellow')}>{counts.working} working</Text>
        {' · '}
        <Text color={needs ? fg('magenta') : undefined} bold={needs}>
          {counts.needsYou} needs you
        </Text>
        {' · '}
        <Text color={fg('green')}>{counts.done} done</Text>
        {' · '}
        inbox {counts.inbox}
        {' · '}
        <Text bold={counts.approvals > 0}>approvals {counts.approvals}</Text>
        <Text dimColor>{'   ? help'}</Text>
      </Text>
    </Box>
  );
}
