import { defineProvider } from '../define.ts';
import { detect } from './detect.ts';
import { integrate } from './integrate.ts';
import { read } from './read.ts';

export const gemini = defineProvider({ id: 'gemini', displayName: 'Gemini CLI', detect, read, integrate });
