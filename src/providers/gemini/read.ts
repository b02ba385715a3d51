/** What Gemini CLI's screen says: the family's approval box, and the last "✦" answer above its one input rule. */
import type { Reader } from '../types.ts';
import { boxedApproval, lastAnswerReader } from './family.ts';
import { transcriptResponse } from './transcript.ts';

export const read: Reader = { permissionPrompt: boxedApproval.parse, lastResponse: lastAnswerReader(1, /^ > /), transcriptResponse };
