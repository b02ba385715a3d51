import { defineProvider } from '../define.ts';
import { detect } from './detect.ts';
import { integrate } from './integrate.ts';
import { read } from './read.ts';

export const shell = defineProvider({ id: 'shell', displayName: 'Shell / any command', detect, read, integrate });
