import { defineProvider } from '../define.ts';
import { detect } from './detect.ts';
import { integrate } from './integrate.ts';
import { read } from './read.ts';

export const claude = defineProvider({ id: 'claude', displayName: 'Claude Code', detect, read, integrate });
