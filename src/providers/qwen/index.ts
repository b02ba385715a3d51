import { defineProvider } from '../define.ts';
import { detect } from './detect.ts';
import { integrate } from './integrate.ts';
import { read } from './read.ts';

export const qwen = defineProvider({ id: 'qwen', displayName: 'Qwen Code', detect, read, integrate });
