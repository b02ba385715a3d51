/** Which items of a list fit `rows` rows with the selected one in view: [from, to). */
export function scrollWindow(count: number, selected: number, rows: number): [number, number] {
  if (count <= rows) return [0, count];
  const from = Math.min(Math.max(0, selected - Math.floor(rows / 2)), count - rows);
  return [from, from + rows];
}
