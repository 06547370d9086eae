/**
 * The fleet's progress line on a terminal: a bar, the count and the percentage, redrawn in place (\r)
 * at most every 100 ms so a fast fleet does not spend its time writing to the terminal.
 */

/** One progress line, `width` columns at most: `[#####·····]  512/1000 nodes  48%`. */
export function progressLine(done: number, total: number, width: number): string {
  const counts = ` ${String(done).padStart(String(total).length)}/${total} nodes ${String(Math.floor((done / total) * 100)).padStart(3)}%`;
  const barWidth = Math.max(0, Math.min(40, width - counts.length - 3));
  if (barWidth < 5) return counts.trimStart();
  const filled = Math.round((done / total) * barWidth);
  return `[${"#".repeat(filled)}${"·".repeat(barWidth - filled)}]${counts}`;
}

/** A progress callback that redraws the line on `stream`, throttled; the last call always draws. */
export function progressReporter(stream: NodeJS.WriteStream, now: () => number = () => Number(process.hrtime.bigint()) / 1e6): (done: number, total: number) => void {
  let drawnAt = -Infinity;
  return (done, total) => {
    const at = now();
    if (done < total && at - drawnAt < 100) return;
    drawnAt = at;
    stream.write(`\r${progressLine(done, total, stream.columns || 80)}${done === total ? "\n" : ""}`);
  };
}
