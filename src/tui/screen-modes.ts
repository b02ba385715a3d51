/** How the TUI takes the terminal's alternate screen, cleared, and gives the user's own screen back. */
import { ALTERNATE_SCREEN_OFF, ALTERNATE_SCREEN_ON, CLEAR, SHOW_CURSOR } from '../client/passthrough.ts';

/**
 * Mouse reporting (button events, SGR coordinates): on only while a reader is open, for its wheel.
 * While it is on, most terminals select text only with shift held, so the panes leave it off.
 */
export const MOUSE_ON = '\x1b[?1000h\x1b[?1006h';
export const MOUSE_OFF = '\x1b[?1000l\x1b[?1006l';

export const ENTER_TUI = ALTERNATE_SCREEN_ON + CLEAR;
export const LEAVE_TUI = MOUSE_OFF + SHOW_CURSOR + ALTERNATE_SCREEN_OFF;
