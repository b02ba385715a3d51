/** What Qwen Code's screen says: Gemini's approval box, and the last "✦" answer above its two input rules. */
import { boxedApproval, lastAnswerReader } from '../gemini/family.ts';
import type { Reader } from '../types.ts';

export const read: Reader = { permissionPrompt: boxedApproval.parse, lastResponse: lastAnswerReader(2, /^ {2}> /) };
