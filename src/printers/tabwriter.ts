// Go's text/tabwriter (and the liggitt/tabwriter fork kubectl's tables use):
// cells end with a TAB; a column is aligned across a contiguous block of lines
// that have a TAB-terminated cell in that column; the last cell of a line is
// never padded. Widths count code points, as Go counts runes.

export interface TabwriterOptions {
  minwidth: number;
  padding: number;
  // Widths remembered across flushes (liggitt's RememberWidths), per column.
  remembered?: number[];
}

// kubectl get: minwidth 6, tabwidth 4, padding 3.
export const TABLE_OPTIONS: TabwriterOptions = { minwidth: 6, padding: 3 };
// kubectl describe and rollout history: minwidth 0, tabwidth 8, padding 2.
export const DESCRIBE_OPTIONS: TabwriterOptions = { minwidth: 0, padding: 2 };

function runeLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export function tabwrite(text: string, opts: TabwriterOptions): string {
  const lines = text.split('\n').map((l) => l.split('\t'));
  const cellWidths = lines.map((cells) => cells.map(runeLength));
  const out: string[] = [];
  const widths: number[] = [];

  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const cells = lines[i];
      let line = '';
      for (let j = 0; j < cells.length; j++) {
        if (j < widths.length && j < cells.length - 1) {
          line += cells[j] + ' '.repeat(Math.max(0, widths[j] - cellWidths[i][j]));
        } else {
          line += cells[j];
        }
      }
      out.push(line);
    }
  };

  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    let start = line0;
    for (let cur = line0; cur < line1; cur++) {
      if (column >= lines[cur].length - 1) continue;
      writeLines(start, cur);
      start = cur;
      let width = opts.minwidth;
      for (; cur < line1 && column < lines[cur].length - 1; cur++) {
        width = Math.max(width, cellWidths[cur][column] + opts.padding);
      }
      if (opts.remembered) {
        width = Math.max(width, opts.remembered[column] ?? 0);
        opts.remembered[column] = width;
      }
      widths.push(width);
      format(start, cur);
      widths.pop();
      // `cur` lacks this column (or is line1); the loop's increment may skip it.
      start = cur;
    }
    writeLines(start, line1);
  };

  format(0, lines.length);
  return out.join('\n');
}
