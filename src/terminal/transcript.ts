/**
 * A recording as text: its output played into a screen with a long scrollback and read back as
 * lines — what a person scrolling back through the terminal would read, redraws resolved.
 */
import { openAsciicast } from './asciicast.ts';
import { Screen } from './screen.ts';

/** Lines of scrollback kept: a long session's worth, without holding a whole day of output. */
export const TRANSCRIPT_LINES = 10_000;
/** Output handed to the emulator before waiting for it to catch up (xterm refuses > 50 MB queued). */
const MAX_QUEUED_CHARS = 4 * 1024 * 1024;

export async function transcript(file: string, lines = TRANSCRIPT_LINES): Promise<string[]> {
  const { header, events } = await openAsciicast(file);
  const screen = new Screen({ cols: header.width, rows: header.height, scrollback: lines });
  try {
    let queued = 0;
    for await (const event of events) {
      if (event.type === 'o') {
        screen.write(event.data);
        queued += event.data.length;
      } else if (event.type === 'r') {
        await screen.flush();
        screen.resize(event.cols, event.rows);
      }
      if (queued > MAX_QUEUED_CHARS) {
        queued = 0;
        await screen.flush();
      }
    }
    await screen.flush();
    const text = screen.history(lines + screen.rows);
    while (text.length > 0 && text.at(-1) === '') text.pop();
    return text;
  } finally {
    screen.dispose();
  }
}
