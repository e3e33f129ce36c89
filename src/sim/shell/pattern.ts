// Shell patterns (glob syntax: * ? [...]) as used by case, ${x#pat}, [[ == ]] and
// pathname expansion. In a pattern string a backslash makes the next character
// literal; expansion escapes quoted characters that way.

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
export function patternSource(p: string, pathname = false, lazy = false): string {
  let out = '';
  const any = pathname ? '[^/]' : '[\\s\\S]';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\' && i + 1 < p.length) {
      out += reEscape(p[++i]);
    } else if (c === '*') {
      out += any + (lazy ? '*?' : '*');
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

const cache = new Map<string, RegExp>();

export function patternRegex(p: string, pathname = false, anchored = true): RegExp {
  const key = `${pathname ? 1 : 0}${anchored ? 1 : 0}${p}`;
  let re = cache.get(key);
  if (!re) {
    let src: string;
    try {
      src = patternSource(p, pathname);
      re = new RegExp(anchored ? `^(?:${src})$` : src);
    } catch {
      re = new RegExp(`^${reEscape(p)}$`);
    }
    if (cache.size > 2000) cache.clear();
    cache.set(key, re);
  }
  return re;
}

export function matchPattern(p: string, s: string): boolean {
  return patternRegex(p).test(s);
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

// Beyond this length the exact (quadratic) searches give way to one regular
// expression with lazy or greedy stars, which agrees for the patterns people write.
const EXACT_MAX = 4096;

function quick(s: string, p: string, op: '#' | '##' | '%' | '%%'): string {
  let src: string;
  try {
    src = patternSource(p, false, op === '#' || op === '%%');
  } catch {
    return s;
  }
  if (op === '#' || op === '##') {
    const m = new RegExp(`^(?:${src})`).exec(s);
    return m ? s.slice(m[0].length) : s;
  }
  const m = new RegExp(`(?:${src})$`).exec(s);
  if (!m) return s;
  if (op === '%%') return s.slice(0, m.index);
  // Shortest suffix: the last position where the pattern matches to the end.
  for (let i = s.length; i >= Math.max(0, s.length - EXACT_MAX); i--) if (patternRegex(p).test(s.slice(i))) return s.slice(0, i);
  return s.slice(0, m.index);
}

// ${x#p} ${x##p} ${x%p} ${x%%p}
export function removeAffix(s: string, p: string, op: '#' | '##' | '%' | '%%'): string {
  if (s.length > EXACT_MAX) return quick(s, p, op);
  const re = patternRegex(p);
  if (op === '#') {
    for (let i = 0; i <= s.length; i++) if (re.test(s.slice(0, i))) return s.slice(i);
  } else if (op === '##') {
    for (let i = s.length; i >= 0; i--) if (re.test(s.slice(0, i))) return s.slice(i);
  } else if (op === '%') {
    for (let i = s.length; i >= 0; i--) if (re.test(s.slice(i))) return s.slice(0, i);
  } else {
    for (let i = 0; i <= s.length; i++) if (re.test(s.slice(i))) return s.slice(0, i);
  }
  return s;
}

// ${x/p/r} ${x//p/r} ${x/#p/r} ${x/%p/r}: the longest match at each position.
export function replacePattern(s: string, p: string, r: string, op: '/' | '//' | '/#' | '/%'): string {
  if (s.length > EXACT_MAX) {
    const src = patternSource(p);
    const re = op === '/#' ? new RegExp(`^(?:${src})`) : op === '/%' ? new RegExp(`(?:${src})$`) : new RegExp(src, op === '//' ? 'g' : '');
    return s.replace(re, () => r);
  }
  const re = patternRegex(p);
  if (op === '/#') {
    for (let i = s.length; i >= 0; i--) if (re.test(s.slice(0, i))) return r + s.slice(i);
    return s;
  }
  if (op === '/%') {
    for (let i = 0; i <= s.length; i++) if (re.test(s.slice(i))) return s.slice(0, i) + r;
    return s;
  }
  let out = '';
  let i = 0;
  let replaced = false;
  while (i <= s.length) {
    let found = -1;
    if (!(replaced && op === '/')) {
      for (let j = s.length; j > i; j--) {
        if (re.test(s.slice(i, j))) {
          found = j;
          break;
        }
      }
    }
    if (found > 0) {
      out += r;
      i = found;
      replaced = true;
      continue;
    }
    if (i < s.length) out += s[i];
    i++;
  }
  return out;
}
