// A very small perl: enough for `perl -Mbignum=bpi -wle 'print bpi(2000)'` (the
// Kubernetes Job example), which computes pi for real, and for print/sleep/exit
// one-liners. Anything else is reported as not simulated.

import { err, errOut, out } from '../proc';
import type { Applet } from '../proc';

// atan(1/x) * scale, by its Taylor series in integer arithmetic.
function atanInv(x: bigint, scale: bigint): bigint {
  const x2 = x * x;
  let term = scale / x;
  let sum = term;
  let n = 1n;
  let sign = -1n;
  while (term !== 0n) {
    term /= x2;
    n += 2n;
    sum += (sign * term) / n;
    sign = -sign;
  }
  return sum;
}

// pi rounded to `digits` significant digits, formatted as Math::BigFloat prints it.
export function piDigits(digits: number): string {
  const n = Math.max(1, digits);
  const guard = 12;
  const scale = 10n ** BigInt(n - 1 + guard);
  // Machin: pi = 16 atan(1/5) - 4 atan(1/239)
  const pi = 16n * atanInv(5n, scale) - 4n * atanInv(239n, scale);
  const div = 10n ** BigInt(guard);
  let q = pi / div;
  const r = pi % div;
  // Round half to even (Math::BigFloat's default mode); a tie never happens for pi.
  if (r * 2n > div || (r * 2n === div && q % 2n === 1n)) q += 1n;
  const s = q.toString();
  return s.length > 1 ? `${s[0]}.${s.slice(1)}` : s;
}

function unescapePerl(s: string): string {
  return s.replace(/\\([ntr\\"$@0]|x[0-9a-fA-F]{2})/g, (_m, e: string) => {
    if (e.startsWith('x')) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', $: '$', '@': '@', '0': '\0' } as Record<string, string>)[e] ?? e;
  });
}

export const perl: Applet = function* (c) {
  const args = c.argv.slice(1);
  let code: string | undefined;
  let lflag = false;
  const modules: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-v' || a === '--version') {
      yield* out(c, '\nThis is perl 5, version 34, subversion 0 (v5.34.0) built for x86_64-linux-gnu-thread-multi\n\nCopyright 1987-2021, Larry Wall\n');
      return 0;
    }
    if (/^-M/.test(a)) {
      modules.push(a.slice(2) || args[++i] || '');
      continue;
    }
    if (/^-[a-zA-Z]+$/.test(a)) {
      // Bundled switches, e.g. -wle: l adds newlines, e takes the code.
      for (let j = 1; j < a.length; j++) {
        const f = a[j];
        if (f === 'l') lflag = true;
        else if (f === 'e' || f === 'E') {
          const rest = a.slice(j + 1);
          code = rest || args[++i];
          break;
        } else if (f === 'M') {
          modules.push(a.slice(j + 1));
          break;
        }
      }
      continue;
    }
    if (code === undefined) {
      yield* err(c, `kubemu does not simulate perl scripts (${a})`);
      return 255;
    }
  }
  if (code === undefined) {
    // perl reading its program from stdin: nothing simulated to run.
    return 0;
  }
  const hasBpi = modules.some((m) => /^(bignum|bigrat|bigfloat|bigint)=.*\bbpi\b/.test(m) || /^Math::BigFloat/.test(m));
  const ors = lflag ? '\n' : '';
  let text = '';
  for (const stmt0 of code.split(';')) {
    const stmt = stmt0.trim();
    if (!stmt) continue;
    let m = /^print\s*\(?\s*(.*?)\s*\)?$/.exec(stmt);
    if (m && /^print\b/.test(stmt)) {
      const items = splitList(m[1]);
      let line = '';
      for (const item of items) {
        const v = evalItem(item, hasBpi);
        if (v === undefined) {
          yield* out(c, text);
          if (/\bbpi\b/.test(item) && !hasBpi) {
            yield* errOut(c, `Undefined subroutine &main::bpi called at -e line 1.\n`);
            return 255;
          }
          yield* err(c, `kubemu does not simulate this perl code: ${item}`);
          return 255;
        }
        if (v.cost) yield { k: 'time', ms: v.cost };
        line += v.text;
      }
      text += line + ors;
      continue;
    }
    m = /^sleep\s*\(?\s*(\d+)\s*\)?$/.exec(stmt);
    if (m) {
      yield* out(c, text);
      text = '';
      yield { k: 'time', ms: Number(m[1]) * 1000 };
      continue;
    }
    m = /^exit\s*\(?\s*(\d*)\s*\)?$/.exec(stmt);
    if (m) {
      yield* out(c, text);
      return Number(m[1] || '0') & 255;
    }
    yield* out(c, text);
    yield* err(c, `kubemu does not simulate this perl code: ${stmt}`);
    return 255;
  }
  yield* out(c, text);
  return 0;
};

function splitList(s: string): string[] {
  const items: string[] = [];
  let cur = '';
  let q: string | undefined;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (q) {
      cur += ch;
      if (ch === '\\') cur += s[++i] ?? '';
      else if (ch === q) q = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") q = ch;
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      items.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur.trim()) items.push(cur.trim());
  return items;
}

function evalItem(item: string, hasBpi: boolean): { text: string; cost?: number } | undefined {
  let m = /^"((?:[^"\\]|\\.)*)"$/.exec(item);
  if (m) return { text: unescapePerl(m[1]) };
  m = /^'((?:[^'\\]|\\.)*)'$/.exec(item);
  if (m) return { text: m[1].replace(/\\(['\\])/g, '$1') };
  if (/^-?\d+(\.\d+)?$/.test(item)) return { text: String(Number(item)) };
  m = /^(?:Math::BigFloat->)?bpi\s*\(?\s*(\d*)\s*\)?$/.exec(item);
  if (m && (hasBpi || item.startsWith('Math::BigFloat'))) {
    const n = m[1] === '' || m[1] === '0' ? 40 : Number(m[1]);
    if (n > 20000) return undefined;
    // Math::BigFloat takes a few seconds for 2000 digits; charge that time.
    return { text: piDigits(n), cost: 10 + Math.round(1500 * (n / 1000) ** 2) };
  }
  return undefined;
}
