/** Where each pane goes at a terminal size: every pane gets a fixed box, so the frame is always exactly the terminal. */

export interface Layout {
  /** Agent list and preview, between the header and the bottom panes. */
  mainHeight: number;
  /** Approvals and inbox. */
  bottomHeight: number;
  listWidth: number;
  previewWidth: number;
  approvalsWidth: number;
  inboxWidth: number;
}

/** Below this the panes cannot show a useful line: the TUI says so instead. */
export const MIN_SIZE = { cols: 60, rows: 12 };

export function layout({ cols, rows }: { cols: number; rows: number }): Layout {
  const bottomHeight = Math.max(4, Math.floor((rows - 2) * 0.3));
  const listWidth = Math.min(56, Math.max(44, Math.floor(cols * 0.4)));
  const approvalsWidth = Math.floor(cols / 2);
  return {
    // One row each for the header and the status line.
    mainHeight: rows - 2 - bottomHeight,
    bottomHeight,
    listWidth,
    previewWidth: cols - listWidth,
    approvalsWidth,
    inboxWidth: cols - approvalsWidth,
  };
}

/** Where the preview's text goes (0-based, below its title row): inside its pane, or the whole screen between the header and the status line. */
export interface Area {
  top: number;
  left: number;
  width: number;
  height: number;
}

export function previewArea(size: { cols: number; rows: number }, full: boolean): Area {
  if (full) return { top: 2, left: 0, width: size.cols, height: size.rows - 3 };
  const box = layout(size);
  // Right of the agent list and the pane's border.
  return { top: 2, left: box.listWidth + 1, width: box.previewWidth - 1, height: box.mainHeight - 1 };
}
