/**
 * Columns a text takes on a terminal, a character at a time (as a terminal lays out cells), with
 * the width of every non-ASCII character remembered: the preview measures thousands a frame.
 */
import stringWidth from 'string-width';

const widths = new Map<string, number>();

export function charWidth(char: string): number {
  const code = char.charCodeAt(0);
  if (char.length === 1 && code >= 0x20 && code < 0x7f) return 1;
  let width = widths.get(char);
  if (width === undefined) {
    width = stringWidth(char);
    widths.set(char, width);
  }
  return width;
}

/** The longest head of `text` that fits in `width` columns, and the columns it takes. */
export function fitColumns(text: string, width: number): [string, number] {
  if (/^[\x20-\x7e]*$/.test(text)) return text.length <= width ? [text, text.length] : [text.slice(0, width), width];
  let used = 0;
  let end = 0;
  for (const char of text) {
    const w = charWidth(char);
    if (used + w > width) break;
    used += w;
    end += char.length;
  }
  return [text.slice(0, end), used];
}
