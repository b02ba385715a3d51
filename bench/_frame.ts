import { importWithInk } from '../src/tui/index.ts';
const { measureFrameRender } = await importWithInk(() => import('./tui-frame.tsx'));
const size = process.argv[2] === 'small' ? { cols: 80, rows: 24 } : { cols: 177, rows: 54 };
const f = await measureFrameRender(size, 300);
console.log(JSON.stringify(f));
