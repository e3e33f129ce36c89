// Word expansion: parameters, command substitution, arithmetic, tilde, field
// splitting, pathname expansion against the fake filesystem, and quote removal.

import type { Cmd, ParamPart, Word, WordPart } from './ast';
import { ArithError, evalArith } from './arith';
import type { Gen, Kernel } from './kernel';
import type { Flavor } from './parser';
import { escapeGlob, hasGlob, matchPattern, removeAffix, replacePattern, unescapeGlob } from './pattern';
import { joinPath, normPath } from './paths';

export interface ExpandHost {
  readonly k: Kernel;
  readonly flavor: Flavor;
  cwd: string;
  readonly opts: { u: boolean; f: boolean };
  positional: string[];
  getVar(name: string): string | undefined;
  getArray(name: string): string[] | undefined;
  setVar(name: string, v: string): void;
  // $? $$ $! $# $- $0 and friends; undefined for ordinary names.
  special(name: string): string | undefined;
  cmdSubst(body: Cmd): Gen<string>;
  // Prints "$0: msg" and ends the (sub)shell with `status`.
  fatal(msg: string, status?: number): never;
}

type Frag = { s: string; q: boolean; split: boolean } | { brk: true };

interface Field {
  text: string;
  pat: string;
  glob: boolean;
}

export function arithMessage(e: ArithError, flavor: Flavor): string {
  if (flavor === 'bash') {
    if (e.kind === 'divzero') return `${e.expr.trim()}: division by 0 (error token is "${/[/%]\s*([^/%]*?)\s*$/.exec(e.expr)?.[1] ?? ''}")`;
    if (e.kind === 'base') return `${e.token}: value too great for base (error token is "${e.token}")`;
    return `${e.expr.trim()}: syntax error: operand expected (error token is "${e.token || e.expr.trim()}")`;
  }
  if (flavor === 'dash') {
    if (e.kind === 'divzero') return 'arithmetic expression: division by zero: "' + e.expr.trim() + '"';
    return `arithmetic expression: expecting primary: "${e.expr.trim()}"`;
  }
  if (e.kind === 'divzero') return 'divide by zero';
  if (e.kind === 'base') return `number out of range`;
  return 'arithmetic syntax error';
}

export class Expander {
  constructor(private readonly h: ExpandHost) {}

  // Words to fields: the arguments of a command, the items of `for`.
  *words(words: Word[]): Gen<string[]> {
    const out: string[] = [];
    for (const w0 of words) {
      for (const w of this.h.flavor === 'bash' ? braceExpand(w0) : [w0]) {
      // Fast path: a plain literal word.
      if (w.parts.length === 1 && w.parts[0].k === 'lit' && !/[*?[]/.test(w.parts[0].v)) {
        out.push(w.parts[0].v);
        continue;
      }
      const frags = yield* this.parts(w.parts, false);
      for (const f of this.split(frags)) {
        if (f.glob && !this.h.opts.f) {
          const m = this.glob(f.pat);
          if (m.length) {
            out.push(...m);
            continue;
          }
        }
        out.push(f.text);
      }
      }
    }
    return out;
  }

  // One word to one string, without splitting or globbing (assignments, redirection
  // targets, case subjects, here-documents).
  *word(w: Word): Gen<string> {
    if (w.parts.length === 1 && w.parts[0].k === 'lit') return w.parts[0].v;
    const frags = yield* this.parts(w.parts, false);
    let s = '';
    let first = true;
    for (const f of frags) {
      if ('brk' in f) {
        if (!first) s += ' ';
        continue;
      }
      s += f.s;
      first = false;
    }
    return s;
  }

  // A pattern: quoted characters are escaped so they match literally.
  *pattern(w: Word): Gen<string> {
    const frags = yield* this.parts(w.parts, false);
    let s = '';
    for (const f of frags) {
      if ('brk' in f) s += ' ';
      else s += f.q ? escapeGlob(f.s) : f.s;
    }
    return s;
  }

  private *parts(parts: WordPart[], inDq: boolean): Gen<Frag[]> {
    const out: Frag[] = [];
    for (const p of parts) {
      switch (p.k) {
        case 'lit':
          out.push({ s: p.v, q: inDq, split: false });
          break;
        case 'sq':
          out.push({ s: p.v, q: true, split: false });
          break;
        case 'dq': {
          const sub = yield* this.parts(p.parts, true);
          if (sub.length === 0) {
            if (!onlyAtParams(p.parts)) out.push({ s: '', q: true, split: false });
          } else out.push(...sub);
          break;
        }
        case 'param':
          yield* this.param(p, inDq, out);
          break;
        case 'cmd': {
          const s = yield* this.h.cmdSubst(p.body);
          out.push({ s, q: inDq, split: !inDq });
          break;
        }
        case 'arith': {
          const text = yield* this.word(p.expr);
          const v = this.arith(text);
          out.push({ s: v.toString(), q: inDq, split: !inDq });
          break;
        }
        case 'tilde': {
          const home = p.user === '' ? (this.h.getVar('HOME') ?? '/root') : p.user === 'root' ? '/root' : `/home/${p.user}`;
          out.push({ s: home, q: true, split: false });
          break;
        }
      }
    }
    return out;
  }

  arith(text: string): bigint {
    try {
      return evalArith(text, {
        get: (n) => this.h.getVar(n) ?? this.h.special(n) ?? '',
        set: (n, v) => this.h.setVar(n, v),
      });
    } catch (e) {
      if (e instanceof ArithError) this.h.fatal(arithMessage(e, this.h.flavor), this.h.flavor === 'bash' ? 1 : 2);
      throw e;
    }
  }

  private ifs(): string {
    return this.h.getVar('IFS') ?? ' \t\n';
  }

  private lookup(p: ParamPart): string | undefined {
    let name = p.name;
    if (p.indirect) {
      const target = this.h.getVar(name) ?? this.h.special(name);
      if (target === undefined || target === '') return undefined;
      name = target;
    }
    if (/^[0-9]+$/.test(name)) {
      const n = Number(name);
      if (n === 0) return this.h.special('0');
      return this.h.positional[n - 1];
    }
    const sp = this.h.special(name);
    if (sp !== undefined) return sp;
    if (p.index) {
      const arr = this.h.getArray(name);
      const idxText = p.index.parts.length === 1 && p.index.parts[0].k === 'lit' ? p.index.parts[0].v : '0';
      if (arr) {
        const i = Number(this.arith(idxText));
        return arr[i < 0 ? arr.length + i : i];
      }
      return idxText === '0' ? this.h.getVar(name) : undefined;
    }
    return this.h.getVar(name);
  }

  private *param(p: ParamPart, inDq: boolean, out: Frag[]): Gen<void> {
    if (p.bad) this.h.fatal('Bad substitution');
    if (p.indirect && this.h.flavor === 'bash') {
      const t = this.h.getVar(p.name) ?? this.h.special(p.name);
      if (t === undefined || t === '') this.h.fatal(`${p.name}: invalid indirect expansion`, 1);
    }
    const isAll = p.name === '@' || p.name === '*';
    const arrAll = p.index && p.index.parts.length === 1 && p.index.parts[0].k === 'lit' && /^[@*]$/.test(p.index.parts[0].v);
    let list: string[] | undefined;
    if (isAll) list = this.h.positional;
    else if (arrAll) list = this.h.getArray(p.name) ?? (this.h.getVar(p.name) !== undefined ? [this.h.getVar(p.name)!] : []);
    if (list) {
      if (p.op === 'len') {
        out.push({ s: String(list.length), q: inDq, split: !inDq });
        return;
      }
      if (p.op === '' || (list.length > 0 && (p.op === ':-' || p.op === '-'))) {
        const star = p.name === '*' || (arrAll && p.index!.parts[0].k === 'lit' && p.index!.parts[0].v === '*');
        if (inDq && star) {
          const ifs = this.ifs();
          out.push({ s: list.join(ifs === '' ? '' : ifs[0]), q: true, split: false });
          return;
        }
        list.forEach((v, i) => {
          if (i > 0) out.push({ brk: true });
          out.push({ s: v, q: inDq, split: !inDq });
        });
        return;
      }
      if (p.op === ':-' || p.op === '-') {
        out.push(...(yield* this.parts(p.arg?.parts ?? [], inDq)));
        return;
      }
      // Other operators on $@: apply to the joined value.
    }
    let v = list ? list.join(' ') : this.lookup(p);
    const unset = v === undefined;
    const empty = unset || v === '';
    const push = (s: string): void => {
      out.push({ s, q: inDq, split: !inDq });
    };
    switch (p.op) {
      case '':
        if (unset && this.h.opts.u && !isAll) this.unbound(p.name);
        push(v ?? '');
        return;
      case 'len':
        if (unset && this.h.opts.u) this.unbound(p.name);
        push(String([...(v ?? '')].length));
        return;
      case ':-':
      case '-':
        if (p.op === ':-' ? empty : unset) out.push(...(yield* this.parts(p.arg?.parts ?? [], inDq)));
        else push(v!);
        return;
      case ':=':
      case '=':
        if (p.op === ':=' ? empty : unset) {
          v = yield* this.word(p.arg ?? { parts: [] });
          if (/^[0-9@*#?$!-]/.test(p.name)) this.h.fatal(`${p.name}: bad variable name`);
          this.h.setVar(p.name, v);
        }
        push(v ?? '');
        return;
      case ':?':
      case '?':
        if (p.op === ':?' ? empty : unset) {
          const msg = p.arg && p.arg.parts.length ? yield* this.word(p.arg) : '';
          const dflt =
            this.h.flavor === 'bash' ? (p.op === ':?' ? 'parameter null or not set' : 'parameter not set') : p.op === ':?' ? 'parameter not set or null' : 'parameter not set';
          this.h.fatal(`${p.name}: ${msg || dflt}`, this.h.flavor === 'bash' ? 127 : 2);
        }
        push(v!);
        return;
      case ':+':
      case '+':
        if (!(p.op === ':+' ? empty : unset)) out.push(...(yield* this.parts(p.arg?.parts ?? [], inDq)));
        return;
      case '#':
      case '##':
      case '%':
      case '%%': {
        const pat = yield* this.pattern(p.arg ?? { parts: [] });
        push(removeAffix(v ?? '', pat, p.op));
        return;
      }
      case '/':
      case '//':
      case '/#':
      case '/%': {
        const pat = yield* this.pattern(p.arg ?? { parts: [] });
        const rep = p.arg2 ? yield* this.word(p.arg2) : '';
        push(pat === '' ? (v ?? '') : replacePattern(v ?? '', pat, rep, p.op));
        return;
      }
      case ':': {
        const s = v ?? '';
        const offText = yield* this.word(p.arg ?? { parts: [] });
        let off = Number(this.arith(offText));
        if (off < 0) off = Math.max(0, s.length + off);
        let res = s.slice(off);
        if (p.arg2) {
          let len = Number(this.arith(yield* this.word(p.arg2)));
          if (len < 0) len = Math.max(0, res.length + len);
          res = res.slice(0, len);
        }
        push(res);
        return;
      }
      case '^^':
        push((v ?? '').toUpperCase());
        return;
      case ',,':
        push((v ?? '').toLowerCase());
        return;
      case '^':
        push((v ?? '').slice(0, 1).toUpperCase() + (v ?? '').slice(1));
        return;
      case ',':
        push((v ?? '').slice(0, 1).toLowerCase() + (v ?? '').slice(1));
        return;
    }
  }

  private unbound(name: string): never {
    if (this.h.flavor === 'bash') this.h.fatal(`${name}: unbound variable`, 127);
    this.h.fatal(`${name}: parameter not set`);
  }

  // Field splitting on IFS (POSIX rules, simplified for "a: :b"-like mixes).
  private split(frags: Frag[]): Field[] {
    const ifs = this.ifs();
    const fields: Field[] = [];
    let cur: Field = { text: '', pat: '', glob: false };
    let has = false;
    let afterWs = false;
    const push = (): void => {
      fields.push(cur);
      cur = { text: '', pat: '', glob: false };
      has = false;
    };
    for (const f of frags) {
      if ('brk' in f) {
        if (has) push();
        continue;
      }
      if (!f.split || f.q || ifs === '') {
        cur.text += f.s;
        if (f.q) cur.pat += escapeGlob(f.s);
        else {
          cur.pat += f.s;
          if (/[*?[]/.test(f.s) && hasGlob(f.s)) cur.glob = true;
        }
        if (f.q || f.s) {
          has = true;
          afterWs = false;
        }
        continue;
      }
      for (const c of f.s) {
        if (ifs.includes(c)) {
          const ws = c === ' ' || c === '\t' || c === '\n';
          if (ws) {
            if (has) push();
            afterWs = true;
          } else {
            if (has || !afterWs) push();
            afterWs = false;
          }
          continue;
        }
        cur.text += c;
        cur.pat += c;
        if (c === '*' || c === '?' || c === '[') cur.glob = true;
        has = true;
        afterWs = false;
      }
    }
    if (has) push();
    return fields;
  }

  // Pathname expansion against the container's filesystem; [] when nothing matches.
  glob(pat: string): string[] {
    if (!hasGlob(pat)) return [];
    const abs = pat.startsWith('/');
    const comps = pat.split('/').filter((c, i) => c !== '' || i === 0);
    let results: string[] = [abs ? '/' : ''];
    if (abs) comps.shift();
    let lastLiteral = false;
    for (const comp of comps) {
      const next: string[] = [];
      if (hasGlob(comp)) {
        lastLiteral = false;
        for (const r of results) {
          const dir = normPath(this.h.cwd, r === '' ? '.' : r);
          const names = this.h.k.list(dir) ?? [];
          for (const name of names) {
            if (name.startsWith('.') && !comp.startsWith('.') && !comp.startsWith('\\.')) continue;
            if (matchPattern(comp, name)) next.push(joinPath(r, name));
          }
        }
      } else {
        lastLiteral = true;
        const lit = unescapeGlob(comp);
        for (const r of results) next.push(joinPath(r, lit));
      }
      results = next;
      if (results.length === 0) return [];
    }
    if (lastLiteral) results = results.filter((r) => this.h.k.stat(normPath(this.h.cwd, r)) !== null);
    return results.sort();
  }
}

function onlyAtParams(parts: WordPart[]): boolean {
  return (
    parts.length > 0 &&
    parts.every(
      (p) =>
        p.k === 'param' &&
        (p.name === '@' || (p.op === '' && p.index?.parts.length === 1 && p.index.parts[0].k === 'lit' && p.index.parts[0].v === '@')),
    )
  );
}

// Brace expansion (bash): {a,b,c} and {1..5} inside one unquoted literal part.
export function braceExpand(w: Word, depth = 0): Word[] {
  if (depth > 8) return [w];
  for (let pi = 0; pi < w.parts.length; pi++) {
    const p = w.parts[pi];
    if (p.k !== 'lit' || !p.v.includes('{')) continue;
    const m = findBrace(p.v);
    if (!m) continue;
    const pre = p.v.slice(0, m.start);
    const post = p.v.slice(m.end + 1);
    const alts = m.items;
    const outW: Word[] = [];
    for (const a of alts) {
      const parts = [...w.parts.slice(0, pi), { k: 'lit' as const, v: pre + a + post }, ...w.parts.slice(pi + 1)];
      outW.push(...braceExpand({ parts }, depth + 1));
      if (outW.length > 10000) break;
    }
    return outW;
  }
  return [w];
}

function findBrace(s: string): { start: number; end: number; items: string[] } | undefined {
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '{' || (i > 0 && s[i - 1] === '$')) continue;
    let depth = 0;
    for (let j = i; j < s.length; j++) {
      if (s[j] === '{') depth++;
      else if (s[j] === '}' && --depth === 0) {
        const body = s.slice(i + 1, j);
        const seq = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(body) ?? /^([a-zA-Z])\.\.([a-zA-Z])()$/.exec(body);
        if (seq) {
          const num = /^-?\d+$/.test(seq[1]);
          const a = num ? Number(seq[1]) : seq[1].charCodeAt(0);
          const b = num ? Number(seq[2]) : seq[2].charCodeAt(0);
          const step = Math.abs(Number(seq[3] || 1)) || 1;
          const items: string[] = [];
          const width = num && (/^-?0\d/.test(seq[1]) || /^-?0\d/.test(seq[2])) ? Math.max(seq[1].length, seq[2].length) : 0;
          for (let v = a; a <= b ? v <= b : v >= b; v += a <= b ? step : -step) {
            items.push(num ? String(v).padStart(width, '0') : String.fromCharCode(v));
            if (items.length > 10000) break;
          }
          return { start: i, end: j, items };
        }
        const items: string[] = [];
        let d = 0;
        let cur = '';
        for (const ch of body) {
          if (ch === '{') d++;
          if (ch === '}') d--;
          if (ch === ',' && d === 0) {
            items.push(cur);
            cur = '';
          } else cur += ch;
        }
        items.push(cur);
        if (items.length > 1) return { start: i, end: j, items };
        break;
      }
    }
  }
  return undefined;
}
