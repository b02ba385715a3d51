import { defineProvider } from '../define.ts';
import { detect } from './detect.ts';
import { integrate } from './integrate.ts';
import { read } from './read.ts';

export const copilot = defineProvider({ id: 'copilot', displayName: 'Copilot CLI', detect, read, integrate });
