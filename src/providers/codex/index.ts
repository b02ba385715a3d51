import { defineProvider } from '../define.ts';
import { detect } from './detect.ts';
import { integrate } from './integrate.ts';
import { read } from './read.ts';

export const codex = defineProvider({ id: 'codex', displayName: 'Codex CLI', detect, read, integrate });
