// Shell patterns (glob syntax: * ? [...]) as used by case, ${x#pat}, [[ == ]] and
// pathname expansion. In a pattern string a backslash makes the next character
// literal; expansion escapes quoted characters that way.

import { safeRegExp } from './regex';

const CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  cntrl: '\\x00-\\x1f\\x7f',
  print: '\\x20-\\x7e',
  graph: '\\x21-\\x7e',
  word: 'A-Za-z0-9_',
};

function reEscape(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? '\\' + c : c;
}

// The regular expression source for pattern `p`. With `pathname`, * and ? do not
// match "/".
export function patternSource(p: string, pathname = false): string {
  let out = '';
  const any = pathname ? '[^/]' : '[\\s\\S]';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\' && i + 1 < p.length) {
      out += reEscape(p[++i]);
    } else if (c === '*') {
      out += any + '*';
    } else if (c === '?') {
      out += any;
    } else if (c === '[') {
      const br = bracket(p, i);
      if (br) {
        out += br.re;
        i = br.end;
      } else out += '\\[';
    } else out += reEscape(c);
  }
  return out;
}

function bracket(p: string, start: number): { re: string; end: number } | undefined {
  let i = start + 1;
  let neg = false;
  if (p[i] === '!' || p[i] === '^') {
    neg = true;
    i++;
  }
  let body = '';
  let first = true;
  while (i < p.length) {
    const c = p[i];
    if (c === ']' && !first) return { re: body === '' ? (neg ? '[\\s\\S]' : '[^\\s\\S]') : `[${neg ? '^' : ''}${body}]`, end: i };
    first = false;
    if (c === '[' && p[i + 1] === ':') {
      const end = p.indexOf(':]', i + 2);
      if (end > 0) {
        const cls = CLASSES[p.slice(i + 2, end)];
        if (cls !== undefined) {
          body += cls;
          i = end + 2;
          continue;
        }
      }
    }
    if (c === '\\' && i + 1 < p.length) {
      body += '\\' + p[i + 1];
      i += 2;
      continue;
    }
    if (c === '-' && body !== '' && p[i + 1] !== ']') {
      body += '-';
      i++;
      continue;
    }
    body += c === ']' || c === '\\' || c === '^' || c === '-' || c === '[' ? '\\' + c : c;
    i++;
  }
  return undefined;
}

// A compiled pattern: each token is a star or one character (a class test). Matching
// runs the tokens as an automaton over the subject, one character at a time, never
// backtracking, so `*a*a*a*a*a*a*b` against a long line costs tokens × length. Only
// the states from the last active star on are kept: that star can absorb whatever an
// earlier state would have matched, which makes common patterns linear.
type Token = { star: true } | { star: false; test: (c: string) => boolean };

interface Glob {
  fwd: Token[];
  // The tokens reversed, to match suffixes from the end of the subject.
  rev: Token[];
}

function tokens(p: string, nocase: boolean): Token[] {
  const out: Token[] = [];
  const lit = (ch: string): Token => {
    if (!nocase) return { star: false, test: (c) => c === ch };
    const l = ch.toLowerCase();
    return { star: false, test: (c) => c.toLowerCase() === l };
  };
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\' && i + 1 < p.length) out.push(lit(p[++i]));
    else if (c === '*') {
      if (!out.length || !out[out.length - 1].star) out.push({ star: true });
    } else if (c === '?') out.push({ star: false, test: () => true });
    else if (c === '[') {
      const br = bracket(p, i);
      if (br) {
        // One character against a class: no repetition, so the backtracking engine is safe.
        let re: RegExp | undefined;
        try {
          re = new RegExp(`^${br.re}$`, nocase ? 'i' : '');
        } catch {
          // A class the engine rejects ([z-a]): the [ is an ordinary character.
        }
        if (re) {
          const cls = re;
          out.push({ star: false, test: (ch) => cls.test(ch) });
          i = br.end;
        } else out.push(lit('['));
      } else out.push(lit('['));
    } else out.push(lit(c));
  }
  return out;
}

const cache = new Map<string, Glob>();

function compile(p: string, nocase = false): Glob {
  const key = (nocase ? 'i' : '-') + p;
  let g = cache.get(key);
  if (!g) {
    const fwd = tokens(p, nocase);
    g = { fwd, rev: fwd.slice().reverse() };
    if (cache.size > 2000) cache.clear();
    cache.set(key, g);
  }
  return g;
}

// Runs `toks` over s from `from`, forwards (dir 1) or backwards from `from` down
// (dir -1). Returns how many characters the shortest (or longest) match takes, or -1.
function scan(toks: Token[], s: string, from: number, dir: 1 | -1, longest: boolean): number {
  const m = toks.length;
  let cur = new Uint8Array(m + 1);
  let nxt = new Uint8Array(m + 1);
  // Adds what stars reach by matching nothing, drops the states before the last live
  // star and returns the first live state (m + 1 when none is left).
  const close = (set: Uint8Array, first: number): number => {
    let star = -1;
    let low = -1;
    for (let j = first; j <= m; j++) {
      if (!set[j]) continue;
      if (low < 0) low = j;
      const t = toks[j];
      if (t !== undefined && t.star) {
        set[j + 1] = 1;
        star = j;
      }
    }
    if (star > low) set.fill(0, low, star);
    return star >= 0 ? star : low < 0 ? m + 1 : low;
  };
  cur[0] = 1;
  let lo = close(cur, 0);
  let best = cur[m] ? 0 : -1;
  if (best === 0 && !longest) return 0;
  const limit = dir === 1 ? s.length - from : from;
  for (let n = 1; n <= limit && lo <= m; n++) {
    const ch = s[dir === 1 ? from + n - 1 : from - n];
    nxt.fill(0);
    for (let j = lo; j < m; j++) {
      if (!cur[j]) continue;
      const t = toks[j];
      if (t.star) nxt[j] = 1;
      else if (t.test(ch)) nxt[j + 1] = 1;
    }
    [cur, nxt] = [nxt, cur];
    lo = close(cur, lo);
    if (lo <= m && cur[m]) {
      best = n;
      if (!longest) return n;
    }
  }
  return best;
}

// A test of whole strings against `p` (find -name/-iname ignore case).
export function globMatcher(p: string, nocase: boolean): (s: string) => boolean {
  const g = compile(p, nocase);
  return (s) => scan(g.fwd, s, 0, 1, true) === s.length;
}

export function matchPattern(p: string, s: string): boolean {
  return globMatcher(p, false)(s);
}

export function hasGlob(p: string): boolean {
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') i++;
    else if (c === '*' || c === '?') return true;
    else if (c === '[' && bracket(p, i)) return true;
  }
  return false;
}

export function escapeGlob(s: string): string {
  return s.replace(/[\\*?[\]]/g, '\\$&');
}

export function unescapeGlob(p: string): string {
  return p.replace(/\\([\s\S])/g, '$1');
}

// ${x#p} ${x##p} ${x%p} ${x%%p}: one scan from the start or from the end.
export function removeAffix(s: string, p: string, op: '#' | '##' | '%' | '%%'): string {
  const g = compile(p);
  if (op === '#' || op === '##') {
    const n = scan(g.fwd, s, 0, 1, op === '##');
    return n < 0 ? s : s.slice(n);
  }
  const n = scan(g.rev, s, s.length, -1, op === '%%');
  return n < 0 ? s : s.slice(0, s.length - n);
}

// Beyond this length ${x/p/r} (a longest match tried at each position, quadratic)
// gives way to one linear-time regular expression with greedy stars, which agrees
// for the patterns people write.
const EXACT_MAX = 4096;

// ${x/p/r} ${x//p/r} ${x/#p/r} ${x/%p/r}: the longest match at each position.
export function replacePattern(s: string, p: string, r: string, op: '/' | '//' | '/#' | '/%'): string {
  const g = compile(p);
  if (op === '/#') {
    const n = scan(g.fwd, s, 0, 1, true);
    return n < 0 ? s : r + s.slice(n);
  }
  if (op === '/%') {
    const n = scan(g.rev, s, s.length, -1, true);
    return n < 0 ? s : s.slice(0, s.length - n) + r;
  }
  if (s.length > EXACT_MAX) return s.replace(safeRegExp(patternSource(p), op === '//' ? 'g' : ''), () => r);
  // A pattern starting with * that matches nowhere from i matches nowhere after i.
  const leadingStar = g.fwd.length > 0 && g.fwd[0].star;
  let out = '';
  let i = 0;
  let replaced = false;
  while (i <= s.length) {
    let found = -1;
    if (!(replaced && op === '/')) {
      found = scan(g.fwd, s, i, 1, true);
      if (found < 0 && leadingStar) return out + s.slice(i);
    }
    if (found > 0) {
      out += r;
      i += found;
      replaced = true;
      continue;
    }
    if (i < s.length) out += s[i];
    i++;
  }
  return out;
}
