/** What a permission dialog on an agent's screen offers, as a provider's reader parses it. */

export const PERMISSION_CHOICES = ['once', 'always', 'deny', 'other'] as const;
export type PermissionChoice = (typeof PERMISSION_CHOICES)[number];

export interface PermissionOption {
  label: string;
  /** Keystrokes that pick this option from the dialog as first drawn. */
  keys: string;
  choice: PermissionChoice;
}

/** A permission dialog parsed from the screen. */
export interface PermissionPrompt {
  tool: string;
  /** The command, file or URL being asked about. */
  summary: string;
  options: PermissionOption[];
}
