/**
 * How statuses look (a glyph and words, so the list reads without colour, plus a colour) and
 * whether colour is used at all: NO_COLOR (no-color.org) turns it off.
 */
import { createContext, useContext } from 'react';
import type { Status } from '../status/status.ts';

export type ColourName = 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'gray';

export interface StatusLook {
  glyph: string;
  label: string;
  colour: ColourName;
}

const LOOKS: Record<Status, StatusLook> = {
  starting: { glyph: '◌', label: 'starting', colour: 'gray' },
  idle: { glyph: '○', label: 'idle', colour: 'blue' },
  working: { glyph: '●', label: 'working', colour: 'yellow' },
  needs_permission: { glyph: '◆', label: 'needs approval', colour: 'magenta' },
  needs_input: { glyph: '◆', label: 'needs input', colour: 'magenta' },
  done: { glyph: '✓', label: 'done', colour: 'green' },
  error: { glyph: '✗', label: 'error', colour: 'red' },
  exited: { glyph: '■', label: 'exited', colour: 'gray' },
  unknown: { glyph: '·', label: 'unknown', colour: 'gray' },
};

export function statusLook(status: Status): StatusLook {
  return LOOKS[status];
}

export interface Theme {
  colour: boolean;
  /** The colour to pass to Ink, or nothing when colour is off. */
  fg(name: ColourName): ColourName | undefined;
}

export function createTheme(colour: boolean): Theme {
  return { colour, fg: (name) => (colour ? name : undefined) };
}

/** NO_COLOR set to anything but the empty string turns colour off. */
export function themeFromEnv(env: NodeJS.ProcessEnv = process.env): Theme {
  return createTheme(!env.NO_COLOR);
}

export const ThemeContext = createContext<Theme>(createTheme(true));

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
