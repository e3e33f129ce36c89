// Regular expressions from a manifest or an exec (grep, sed, awk, expr, pgrep,
// [[ =~ ]], shell patterns on long strings). V8's default engine backtracks:
// `(a+)+b` on a line of thirty a's takes minutes, and the step budget cannot
// interrupt a single match. V8's experimental engine runs in time linear in the
// input, for everything but backreferences, lookarounds, large counted repetitions
// and the `i` flag; `i` is rewritten here into explicit case classes so it stays
// eligible. An eligible expression is compiled for the usual engine, and V8 (with
// --enable-experimental-regexp-engine-on-excessive-backtracks, set once) reruns a
// match that backtracks too much in the linear engine: forcing the `l` flag would
// cost every match about six times as much (190 ns against 30 ns a line).
// The rest falls back to plain backtracking, bounded by the input length: such a
// pattern refuses a subject longer than FALLBACK_MAX characters (the command fails
// with an error), which keeps polynomial blow-ups small; exponential ones on short
// subjects remain possible for backreference and lookaround patterns only.

import * as v8 from 'node:v8';

export const FALLBACK_MAX = 4096;

let linear: boolean | undefined;

function linearEngine(): boolean {
  if (linear === undefined) {
    try {
      v8.setFlagsFromString('--enable-experimental-regexp-engine');
      v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
      linear = new RegExp('a', 'l').test('a');
    } catch {
      linear = false;
    }
  }
  return linear;
}

export class RegexTooLong extends Error {
  constructor() {
    super(`regular expression with backreferences or lookarounds on a subject longer than ${FALLBACK_MAX} characters`);
  }
}

// A backtracking expression that refuses long subjects. exec is what test, match,
// matchAll, replace and split all call, and split builds its copy through this
// constructor, so the bound holds for every use.
class BoundedRegExp extends RegExp {
  override exec(s: string): RegExpExecArray | null {
    if (s.length > FALLBACK_MAX) throw new RegexTooLong();
    return super.exec(s);
  }
}

function swapCase(c: string): string {
  const l = c.toLowerCase();
  const u = c.toUpperCase();
  if (l.length !== 1 || u.length !== 1) return '';
  return c === l ? (u === c ? '' : u) : l;
}

function isLetter(c: string): boolean {
  return swapCase(c) !== '';
}

// Escapes whose following characters belong to them (\x41, \u00e9, \cJ, \k<n>,
// \p{L}): how many characters after the backslash to copy as they are.
function escapeLength(src: string, i: number): number {
  const c = src[i + 1];
  if (c === 'x') return 3;
  if (c === 'c') return 2;
  if (c === 'u') return src[i + 2] === '{' ? src.indexOf('}', i) - i : 5;
  if (c === 'k' && src[i + 2] === '<') return src.indexOf('>', i) - i;
  if ((c === 'p' || c === 'P') && src[i + 2] === '{') return src.indexOf('}', i) - i;
  return 1;
}

// The character a \xHH or \uHHHH escape at i stands for.
function escapedChar(src: string, i: number, n: number): string | undefined {
  const c = src[i + 1];
  if ((c === 'x' && n === 3) || (c === 'u' && n === 5)) {
    const hex = src.slice(i + 2, i + n + 1);
    if (/^[0-9a-fA-F]+$/.test(hex)) return String.fromCharCode(parseInt(hex, 16));
  }
  return undefined;
}

// `src` (JavaScript syntax) matching without regard to case, without the `i` flag.
function foldCase(src: string): string {
  let o = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const n = Math.max(1, escapeLength(src, i));
      const e = escapedChar(src, i, n);
      const esc = src.slice(i, i + n + 1);
      o += e !== undefined && isLetter(e) ? `[${esc}${swapCase(e)}]` : esc;
      i += n;
    } else if (c === '(' && src.startsWith('(?<', i) && src[i + 3] !== '=' && src[i + 3] !== '!') {
      const end = src.indexOf('>', i);
      o += src.slice(i, end + 1);
      i = end;
    } else if (c === '[') {
      let j = i + 1;
      if (src[j] === '^') j++;
      const extra: string[] = [];
      // A class ends at the first unescaped ]; JavaScript allows [] and []...].
      for (; j < src.length && src[j] !== ']'; j++) {
        let lo = src[j];
        if (lo === '\\') {
          const n = Math.max(1, escapeLength(src, j));
          const e = escapedChar(src, j, n);
          if (e !== undefined && isLetter(e)) extra.push(swapCase(e));
          j += n;
          continue;
        }
        let hi = lo;
        if (src[j + 1] === '-' && j + 2 < src.length && src[j + 2] !== ']' && src[j + 2] !== '\\') {
          hi = src[j + 2];
          j += 2;
        }
        if (lo > hi) [lo, hi] = [hi, lo];
        for (const [a, z] of [
          ['a', 'z'],
          ['A', 'Z'],
        ]) {
          const from = lo > a ? lo : a;
          const to = hi < z ? hi : z;
          if (from <= to) extra.push(from === to ? swapCase(from) : `${swapCase(from)}-${swapCase(to)}`);
        }
        if (lo === hi && lo > '\x7f' && isLetter(lo)) extra.push(swapCase(lo));
      }
      o += src.slice(i, j) + extra.join('') + (j < src.length ? ']' : '');
      i = j;
    } else if (isLetter(c)) {
      o += `[${c}${swapCase(c)}]`;
    } else o += c;
  }
  return o;
}

// Compiles `src` (JavaScript syntax) with `flags` (g, i, m, s, y), eligible for the
// linear engine when it can be; throws SyntaxError as new RegExp does for an
// invalid expression.
export function safeRegExp(src: string, flags = ''): RegExp {
  if (linearEngine()) {
    const folded = flags.includes('i') ? foldCase(src) : src;
    const rest = flags.replace('i', '');
    let eligible = true;
    try {
      new RegExp(folded, rest + 'l');
    } catch {
      eligible = false;
    }
    if (eligible) return new RegExp(folded, rest);
  }
  return new BoundedRegExp(src, flags);
}

// `re` with other flags, keeping its engine (and its bound).
export function withFlags(re: RegExp, flags: string): RegExp {
  const C = re.constructor as RegExpConstructor;
  return new C(re.source, flags);
}
