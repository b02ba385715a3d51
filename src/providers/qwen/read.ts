/** What Qwen Code's screen says: Gemini's approval box, and the last "✦" / "◆︎" answer above its two input rules. */
import { boxedApproval, lastAnswerReader } from '../gemini/family.ts';
import type { Reader } from '../types.ts';
import { transcriptResponse } from './transcript.ts';

// 0.24 keeps a gutter for its scrollbar: answers wrap four columns short of the edge (measured at
// 80 columns: rows end by column 76, scrollbar or not once drawn); 0.15's rows are as wide or narrower.
export const read: Reader = { permissionPrompt: boxedApproval.parse, lastResponse: lastAnswerReader(2, /^ {2}> /, 4), transcriptResponse };
