/** How the TUI takes the terminal's alternate screen, cleared, and gives the user's own screen back. */
import { ALTERNATE_SCREEN_OFF, ALTERNATE_SCREEN_ON, CLEAR, SHOW_CURSOR } from '../client/passthrough.ts';

export const ENTER_TUI = ALTERNATE_SCREEN_ON + CLEAR;
export const LEAVE_TUI = SHOW_CURSOR + ALTERNATE_SCREEN_OFF;
