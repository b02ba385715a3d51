import { defineProvider } from '../define.ts';
import { detect } from './detect.ts';
import { integrate } from './integrate.ts';
import { read } from './read.ts';

export const opencode = defineProvider({ id: 'opencode', displayName: 'opencode', detect, read, integrate });
