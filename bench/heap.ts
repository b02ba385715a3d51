/** Memory (JS heap + the typed arrays behind it) held by one Screen whose 5,000-line scrollback is full of coloured 120-column text. */
import { Screen } from '../src/terminal/screen.ts';

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the benchmark with node --expose-gc (npm run bench does)');
  gc();
  gc();
}

export async function measureHeapPerScreen(count = 10, cols = 120, rows = 35, scrollback = 5000): Promise<number> {
  const line = (i: number) => `\x1b[3${i % 8}m${String(i).padStart(6)}\x1b[0m ${'lorem ipsum dolor sit amet '.repeat(5)}`.slice(0, cols + 10);
  const fill = Array.from({ length: scrollback + rows + 100 }, (_, i) => line(i)).join('\r\n');
  collect();
  // xterm keeps cell data in typed arrays, which Node counts outside the JS heap ("external").
  const used = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.external;
  };
  const before = used();
  const screens: Screen[] = [];
  for (let i = 0; i < count; i++) {
    const screen = new Screen({ cols, rows, scrollback });
    screen.write(fill);
    await screen.flush();
    screens.push(screen);
  }
  collect();
  const perScreen = (used() - before) / count;
  for (const screen of screens) screen.dispose();
  return perScreen;
}
