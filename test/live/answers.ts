/**
 * The mock model's answers for the transcript recordings and the long-answer live test: one far
 * taller than any screen (60 paragraphs, ~130 rows at 120 columns), then a short one after a tool call.
 */
const paragraph = (n: number) =>
  `Paragraph ${n} of the long answer: the herd supervisor reads this text back from the agent's own transcript, ` +
  `so every word of it must arrive exactly as the model wrote it, number ${n} included.`;

export const LONG_ANSWER = Array.from({ length: 60 }, (_, i) => paragraph(i + 1)).join('\n\n');
export const TOOL_INTRO = 'I will create the file now.';
export const AFTER_TOOL = 'The file has been created, and that is the whole of the second answer.';
