import type { ReactNode } from 'react';
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
  const down = Object.entries(unreachable);
  if (down.length > 0) return <AlarmRow width={width} alarm="reconnecting…" problems={down} />;
  const unsaved = Object.entries(stateWriteProblems);
  // Statuses shown are the last ones stored: say so before anything else.
  if (unsaved.length > 0) return <AlarmRow width={width} alarm="state not saved, retrying:" problems={unsaved} />;
  const needs = counts.needsYou > 0;
  return (
    <HeaderRow width={width}>
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
    </HeaderRow>
  );
}

/** The header's one row: drover's name, then `children`, cut at the width. */
function HeaderRow({ width, children }: { width: number; children: ReactNode }) {
  return (
    <Box width={width} height={1} overflowY="hidden">
      <Text wrap="truncate-end">
        <Text bold>drover</Text>
        {'  '}
        {children}
      </Text>
    </Box>
  );
}

/** In place of the numbers: what is wrong, in red, then why on each host (the local one unnamed). */
function AlarmRow({ width, alarm, problems }: { width: number; alarm: string; problems: Array<[host: string, why: string]> }) {
  const { fg } = useTheme();
  return (
    <HeaderRow width={width}>
      <Text color={fg('red')} bold>
        {alarm}
      </Text>{' '}
      <Text dimColor>{problems.map(([host, why]) => (host ? `${host}: ${why}` : why)).join(' · ')}</Text>
    </HeaderRow>
  );
}
