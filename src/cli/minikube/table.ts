import Table from 'cli-table3';

// The tables minikube prints with olekukonko/tablewriter v0.0.5 (service,
// service list, addons list), drawn by cli-table3 with tablewriter's choices:
// `|` at every corner and joint, `-` rules above and below the header and at
// the bottom, headers upper-cased and centred, numbers right-aligned, other
// cells left-aligned, and cells wider than 30 columns wrapped at spaces
// (tablewriter's WrapString) before cli-table3 lays them out.

const MAX_CELL_WIDTH = 30;
// tablewriter's `decimal` pattern; its `percent` pattern can never match.
const DECIMAL = /^-?(?:\d{1,3}(?:,\d{3})*|\d+)(?:\.\d+)?$/;

// Display width as a terminal (and go-runewidth) counts it: emoji take two cells.
export function width(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === 0xfe0f || cp === 0x200d) continue;
    n += cp >= 0x1f000 || (cp >= 0x2600 && cp <= 0x27bf) || cp === 0x231b ? 2 : 1;
  }
  return n;
}

// WrapWords: line breaks that minimise the squared slack, too-long lines penalised.
function wrapWords(words: string[], limit: number): string[][] {
  const n = words.length;
  const len = (i: number, j: number): number => {
    let total = 0;
    for (let k = i; k <= j; k++) total += width(words[k]) + (k > i ? 1 : 0);
    return total;
  };
  const cost = new Array<number>(n).fill(Number.MAX_SAFE_INTEGER);
  const next = new Array<number>(n).fill(n);
  for (let i = n - 1; i >= 0; i--) {
    if (len(i, n - 1) <= limit) {
      cost[i] = 0;
      next[i] = n;
      continue;
    }
    for (let j = i + 1; j < n; j++) {
      const slack = limit - len(i, j - 1);
      let c = slack * slack + cost[j];
      if (len(i, j - 1) > limit) c += 1e5;
      if (c < cost[i]) {
        cost[i] = c;
        next[i] = j;
      }
    }
  }
  const lines: string[][] = [];
  for (let i = 0; i < n; i = next[i]) lines.push(words.slice(i, next[i]));
  return lines;
}

// parseDimension with auto-wrap and reflow: the cell's lines as printed, and
// the width it claims for its column (at least the wrap limit it used).
function layoutCell(text: string): { lines: string[]; width: number } {
  const raw = text.split('\n');
  const limit = Math.min(MAX_CELL_WIDTH, Math.max(...raw.map(width)));
  const words = raw.join(' ').split(' ');
  const wordLimit = Math.max(limit, ...words.map(width));
  const lines = wrapWords(words, wordLimit).map((w) => w.join(' '));
  return { lines, width: Math.max(limit, ...lines.map(width)) };
}

// tablewriter's Title: `_` and most `.` become spaces, then upper case.
function title(name: string): string {
  const chars = [...name];
  const isNumOrSpace = (c: string | undefined) => c !== undefined && /[0-9 ]/.test(c);
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] === '_') chars[i] = ' ';
    else if (chars[i] === '.' && ((i > 0 && !isNumOrSpace(chars[i - 1])) || (i < chars.length - 1 && !isNumOrSpace(chars[i + 1])))) {
      chars[i] = ' ';
    }
  }
  const out = chars.join('').trim();
  return (out === '' && name !== '' ? ' ' : out).toUpperCase();
}

export function goTable(header: string[], rows: string[][]): string {
  const cells = rows.map((row) => row.map(layoutCell));
  const colWidths = header.map((h, i) => Math.max(layoutCell(h).width, ...cells.map((r) => r[i]?.width ?? 0)) + 2);
  const table = new Table({
    head: header.map((h) => title(h)),
    chars: {
      top: '-',
      'top-mid': '|',
      'top-left': '|',
      'top-right': '|',
      bottom: '-',
      'bottom-mid': '|',
      'bottom-left': '|',
      'bottom-right': '|',
      left: '|',
      'left-mid': '|',
      mid: '-',
      'mid-mid': '|',
      right: '|',
      'right-mid': '|',
      middle: '|',
    },
    style: { head: [], border: [], compact: true, 'padding-left': 1, 'padding-right': 1 },
    colAligns: header.map(() => 'center'),
    colWidths,
  });
  for (const row of cells) {
    table.push(
      row.map(({ lines }) => {
        const numeric = lines.every((l) => DECIMAL.test(l.trim()));
        return { content: lines.join('\n'), hAlign: numeric ? ('right' as const) : ('left' as const) };
      }),
    );
  }
  return `${table.toString()}\n`;
}
