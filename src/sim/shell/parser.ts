// A recursive-descent parser for the POSIX sh subset (plus the bash/ash extensions
// that show up in manifests). It reads characters directly instead of a token
// stream because shell tokenisation depends on context (reserved words only at a
// command's start, quoting, here-documents read after the next newline).

import type { Assign, CaseArm, Cmd, CondExpr, ParamOp, ParamPart, Redir, RedirOp, Word, WordPart } from './ast';
import { literalText, isQuoted } from './ast';

// Which shell's grammar and error wording to follow: busybox ash, bash, or dash
// (Debian's /bin/sh).
export type Flavor = 'ash' | 'bash' | 'dash';

export type SyntaxKind = 'unexpected' | 'eof' | 'unterminated' | 'brace' | 'backquote' | 'forvar' | 'subst';

export class ShellSyntaxError extends Error {
  constructor(
    readonly kind: SyntaxKind,
    readonly line: number,
    readonly token = '',
    readonly expecting = '',
  ) {
    super(`syntax error (${kind}${token ? ' ' + token : ''})`);
  }
}

// The message a shell of `flavor` prints (without the leading "$0: ").
export function formatSyntaxError(e: ShellSyntaxError, flavor: Flavor, lineText = ''): string {
  if (flavor === 'dash') {
    const p = `${e.line}: Syntax error: `;
    switch (e.kind) {
      case 'unexpected':
        return `${p}"${e.token}" unexpected`;
      case 'eof':
        return `${p}end of file unexpected${e.expecting ? ` (expecting "${e.expecting}")` : ''}`;
      case 'unterminated':
        return `${p}Unterminated quoted string`;
      case 'brace':
        return `${p}Missing '}'`;
      case 'backquote':
        return `${p}EOF in backquote substitution`;
      case 'forvar':
        return `${p}Bad for loop variable`;
      case 'subst':
        return `${p}Bad substitution`;
    }
  }
  if (flavor === 'bash') {
    const p = `-c: line ${e.line}: `;
    switch (e.kind) {
      case 'unexpected':
        return `${p}syntax error near unexpected token \`${e.token}'\n\0${p}\`${lineText}'`;
      case 'eof':
        return `${p}syntax error: unexpected end of file`;
      case 'unterminated':
        return `${p}unexpected EOF while looking for matching \`${e.token || '"'}'`;
      case 'brace':
        return `${p}unexpected EOF while looking for matching \`}'`;
      case 'backquote':
        return `${p}unexpected EOF while looking for matching \`\`'`;
      case 'forvar':
        return `line ${e.line}: \`${e.token}': not a valid identifier`;
      case 'subst':
        return `line ${e.line}: \${${e.token}}: bad substitution`;
    }
  }
  switch (e.kind) {
    case 'unexpected':
      return `syntax error: unexpected ${e.token === 'newline' ? 'newline' : `"${e.token}"`}`;
    case 'eof':
      return `syntax error: unexpected end of file${e.expecting ? ` (expecting "${e.expecting}")` : ''}`;
    case 'unterminated':
      return 'syntax error: unterminated quoted string';
    case 'brace':
      return "syntax error: missing '}'";
    case 'backquote':
      return 'syntax error: EOF in backquote substitution';
    case 'forvar':
      return 'syntax error: bad for loop variable';
    case 'subst':
      return 'syntax error: bad substitution';
  }
}

const META = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);
const CLOSERS = new Set(['then', 'else', 'elif', 'fi', 'do', 'done', 'esac', '}']);
const RESERVED = new Set([
  'if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'case', 'esac', 'while', 'until', 'for', 'in', '{', '}', '!', '[[', 'function',
]);
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SPECIAL_PARAMS = '@*#?-$!0';
// Guards against pathological nesting ("$($($(...)))" thousands deep).
const MAX_DEPTH = 200;

interface PendingDoc {
  redir: Redir;
  delim: string;
  strip: boolean;
  quoted: boolean;
}

export class Parser {
  private pos = 0;
  line: number;
  private docs: PendingDoc[] = [];
  private depth = 0;
  private readonly bashy: boolean;

  constructor(
    private readonly src: string,
    readonly flavor: Flavor,
    firstLine = 1,
  ) {
    this.line = firstLine;
    // ash implements most bash conveniences ([[, $'..', &>, <<<, function); dash none.
    this.bashy = flavor !== 'dash';
  }

  // The source text of the line holding `line` (for bash's error echo).
  lineText(line: number): string {
    return this.src.split('\n')[line - 1] ?? '';
  }

  private ch(o = 0): string {
    return this.src[this.pos + o] ?? '';
  }

  private atEnd(): boolean {
    return this.pos >= this.src.length;
  }

  private startsWith(s: string): boolean {
    return this.src.startsWith(s, this.pos);
  }

  // Parses the next top-level command line (a list ended by a newline), as ash does:
  // earlier lines run before a later line's syntax error is found.
  nextCommand(): Cmd | undefined {
    for (;;) {
      this.skipSpaces();
      if (this.atEnd()) {
        this.readDocs();
        return undefined;
      }
      if (this.ch() === '\n') {
        this.newline();
        continue;
      }
      break;
    }
    const cmd = this.parseList(true, false);
    this.skipSpaces();
    if (this.atEnd()) this.readDocs();
    else if (this.ch() === '\n') this.newline();
    else this.unexpected();
    return cmd;
  }

  // Parses a whole script into one list (used for `...`, eval and functions' bodies).
  parseAll(): Cmd {
    const items: { cmd: Cmd; bg: boolean }[] = [];
    for (;;) {
      const c = this.nextCommand();
      if (!c) break;
      if (c.t === 'list') items.push(...c.items);
      else items.push({ cmd: c, bg: false });
    }
    return { t: 'list', items };
  }

  // --- lexical helpers -------------------------------------------------------------

  private skipSpaces(): void {
    for (;;) {
      const c = this.ch();
      if (c === ' ' || c === '\t' || c === '\r') this.pos++;
      else if (c === '\\' && this.ch(1) === '\n') {
        this.pos += 2;
        this.line++;
      } else if (c === '#') {
        while (!this.atEnd() && this.ch() !== '\n') this.pos++;
      } else return;
    }
  }

  private skipLinebreaks(): void {
    for (;;) {
      this.skipSpaces();
      if (this.ch() === '\n') this.newline();
      else return;
    }
  }

  private newline(): void {
    this.pos++;
    this.line++;
    this.readDocs();
  }

  // Reads the bodies of the here-documents whose `<<` appeared on the line just ended.
  private readDocs(): void {
    if (this.docs.length === 0) return;
    const docs = this.docs;
    this.docs = [];
    for (const d of docs) {
      let body = '';
      while (!this.atEnd()) {
        const nl = this.src.indexOf('\n', this.pos);
        const end = nl < 0 ? this.src.length : nl;
        let text = this.src.slice(this.pos, end);
        this.pos = nl < 0 ? this.src.length : nl + 1;
        this.line++;
        if (d.strip) text = text.replace(/^\t+/, '');
        if (text === d.delim) break;
        body += text + '\n';
      }
      d.redir.body = d.quoted ? { parts: [{ k: 'sq', v: body }] } : new Parser(body, this.flavor).looseWord(true);
    }
  }

  // The reserved word at the current position, if the next token is one.
  private peekReserved(): string | undefined {
    let i = this.pos;
    while (i < this.src.length && !META.has(this.src[i])) {
      const c = this.src[i];
      if (c === "'" || c === '"' || c === '\\' || c === '$' || c === '`') return undefined;
      i++;
    }
    const w = this.src.slice(this.pos, i);
    if (w === '[[') return this.bashy ? w : undefined;
    if (w === 'function') return this.bashy ? w : undefined;
    return RESERVED.has(w) ? w : undefined;
  }

  private consumeReserved(w: string): void {
    this.pos += w.length;
  }

  private expectReserved(w: string): void {
    this.skipLinebreaks();
    if (this.peekReserved() === w) {
      this.consumeReserved(w);
      return;
    }
    if (this.atEnd()) throw new ShellSyntaxError('eof', this.line, '', w);
    this.unexpected();
  }

  // Describes the token at the current position for an "unexpected" error.
  private tokenHere(): string {
    if (this.atEnd()) return 'end of file';
    if (this.ch() === '\n') return 'newline';
    const m = /^(;;&|;;|;&|&&|\|\||<<-|<<|>>|&>|[;&|()<>])/.exec(this.src.slice(this.pos, this.pos + 3));
    if (m) return m[1];
    const r = this.peekReserved();
    if (r) return r;
    let i = this.pos;
    while (i < this.src.length && !META.has(this.src[i])) i++;
    return this.src.slice(this.pos, i);
  }

  private unexpected(): never {
    if (this.atEnd()) throw new ShellSyntaxError('eof', this.line);
    throw new ShellSyntaxError('unexpected', this.line, this.tokenHere());
  }

  // --- grammar ---------------------------------------------------------------------

  // list: and-or items separated by ; & or newlines. At top level a newline ends it.
  private parseList(top: boolean, allowEmpty: boolean): Cmd {
    const items: { cmd: Cmd; bg: boolean }[] = [];
    for (;;) {
      if (top) this.skipSpaces();
      else this.skipLinebreaks();
      if (this.atEnd()) break;
      const c = this.ch();
      if (c === ')' || c === '\n') break;
      if (c === ';' && this.ch(1) === ';') break;
      if (c === ';' && this.ch(1) === '&') break;
      const r = this.peekReserved();
      if (r && CLOSERS.has(r)) break;
      const cmd = this.parseAndOr();
      this.skipSpaces();
      let bg = false;
      const s = this.ch();
      if (s === '&' && this.ch(1) !== '&' && this.ch(1) !== '>') {
        this.pos++;
        bg = true;
      } else if (s === ';' && this.ch(1) !== ';' && this.ch(1) !== '&') {
        this.pos++;
      } else {
        items.push({ cmd, bg });
        if (s === '\n' && !top) continue;
        break;
      }
      items.push({ cmd, bg });
    }
    if (items.length === 0 && !allowEmpty) this.unexpected();
    if (items.length === 1 && !items[0].bg) return items[0].cmd;
    return { t: 'list', items };
  }

  private parseAndOr(): Cmd {
    const first = this.parsePipeline();
    const rest: { op: '&&' | '||'; cmd: Cmd }[] = [];
    for (;;) {
      this.skipSpaces();
      const op = this.startsWith('&&') ? '&&' : this.startsWith('||') ? '||' : undefined;
      if (!op) break;
      this.pos += 2;
      this.skipLinebreaks();
      rest.push({ op, cmd: this.parsePipeline() });
    }
    return rest.length ? { t: 'andor', first, rest } : first;
  }

  private parsePipeline(): Cmd {
    this.skipSpaces();
    let bang = false;
    while (this.peekReserved() === '!') {
      this.consumeReserved('!');
      bang = !bang;
      this.skipSpaces();
    }
    const cmds = [this.parseCommand()];
    for (;;) {
      this.skipSpaces();
      if (this.ch() !== '|' || this.ch(1) === '|') break;
      this.pos++;
      let both = false;
      if (this.ch() === '&' && this.flavor === 'bash') {
        this.pos++;
        both = true;
      }
      if (both) {
        const prev = cmds[cmds.length - 1];
        if (prev.t === 'simple') prev.redirs.push({ fd: 2, op: '>&', target: { parts: [{ k: 'lit', v: '1' }] } });
      }
      this.skipLinebreaks();
      cmds.push(this.parseCommand());
    }
    return cmds.length === 1 && !bang ? cmds[0] : { t: 'pipe', cmds, bang };
  }

  private parseCommand(): Cmd {
    if (++this.depth > MAX_DEPTH) throw new ShellSyntaxError('unexpected', this.line, 'nesting too deep');
    try {
      this.skipSpaces();
      if (this.atEnd()) throw new ShellSyntaxError('eof', this.line);
      const r = this.peekReserved();
      if (r) {
        switch (r) {
          case 'if':
            return this.withRedirs(this.parseIf());
          case 'while':
          case 'until':
            return this.withRedirs(this.parseLoop(r === 'until'));
          case 'for':
            return this.withRedirs(this.parseFor());
          case 'case':
            return this.withRedirs(this.parseCase());
          case '{': {
            this.consumeReserved('{');
            const body = this.parseList(false, false);
            this.expectReserved('}');
            return this.withRedirs({ t: 'group', body, redirs: [] });
          }
          case '[[':
            return this.withRedirs(this.parseDbrack());
          case 'function':
            return this.parseFunctionKw();
          default:
            this.unexpected();
        }
      }
      if (this.ch() === '(') {
        if (this.flavor === 'bash' && this.ch(1) === '(') {
          const inner = this.scanDoubleParen(this.pos + 2);
          if (inner !== undefined) {
            const line = this.line;
            this.pos = inner.end;
            return this.withRedirs({ t: 'arith', expr: new Parser(inner.text, this.flavor).looseWord(false), redirs: [], line });
          }
        }
        this.pos++;
        const body = this.parseList(false, false);
        this.skipLinebreaks();
        if (this.ch() !== ')') this.atEnd() ? this.eofExpecting(')') : this.unexpected();
        this.pos++;
        return this.withRedirs({ t: 'sub', body, redirs: [] });
      }
      return this.parseSimple();
    } finally {
      this.depth--;
    }
  }

  private eofExpecting(what: string): never {
    throw new ShellSyntaxError('eof', this.line, '', what);
  }

  // Trailing redirections of a compound command.
  private withRedirs(c: Cmd): Cmd {
    if (!('redirs' in c)) return c;
    for (;;) {
      this.skipSpaces();
      const r = this.tryRedir();
      if (!r) return c;
      c.redirs.push(r);
    }
  }

  private parseIf(): Cmd {
    this.consumeReserved('if');
    const arms: { cond: Cmd; body: Cmd }[] = [];
    let cond = this.parseList(false, false);
    this.expectReserved('then');
    let body = this.parseList(false, false);
    arms.push({ cond, body });
    let elseBody: Cmd | undefined;
    for (;;) {
      this.skipLinebreaks();
      const r = this.peekReserved();
      if (r === 'elif') {
        this.consumeReserved(r);
        cond = this.parseList(false, false);
        this.expectReserved('then');
        body = this.parseList(false, false);
        arms.push({ cond, body });
      } else if (r === 'else') {
        this.consumeReserved(r);
        elseBody = this.parseList(false, false);
        this.expectReserved('fi');
        break;
      } else if (r === 'fi') {
        this.consumeReserved(r);
        break;
      } else if (this.atEnd()) {
        this.eofExpecting('fi');
      } else this.unexpected();
    }
    return { t: 'if', arms, else: elseBody, redirs: [] };
  }

  private parseLoop(until: boolean): Cmd {
    this.consumeReserved(until ? 'until' : 'while');
    const cond = this.parseList(false, false);
    this.expectReserved('do');
    const body = this.parseList(false, false);
    this.expectReserved('done');
    return { t: 'loop', until, cond, body, redirs: [] };
  }

  private parseFor(): Cmd {
    this.consumeReserved('for');
    this.skipSpaces();
    if (this.flavor === 'bash' && this.startsWith('((')) {
      const inner = this.scanDoubleParen(this.pos + 2);
      if (!inner) this.unexpected();
      this.pos = inner.end;
      const secs = splitTopLevel(inner.text, ';');
      if (secs.length !== 3) throw new ShellSyntaxError('unexpected', this.line, '((');
      const [init, cond, step] = secs.map((s) => new Parser(s, this.flavor).looseWord(false));
      this.skipSpaces();
      if (this.ch() === ';') this.pos++;
      this.skipLinebreaks();
      let body: Cmd;
      if (this.peekReserved() === '{') {
        this.consumeReserved('{');
        body = this.parseList(false, false);
        this.expectReserved('}');
      } else {
        this.expectReserved('do');
        body = this.parseList(false, false);
        this.expectReserved('done');
      }
      return { t: 'afor', init, cond, step, body, redirs: [] };
    }
    const start = this.pos;
    const nameWord = this.readWord();
    const name = literalText(nameWord);
    if (name === undefined || !NAME_RE.test(name) || isQuoted(nameWord)) {
      throw new ShellSyntaxError('forvar', this.line, this.src.slice(start, this.pos));
    }
    let items: Word[] | undefined;
    this.skipLinebreaks();
    if (this.peekReserved() === 'in') {
      this.consumeReserved('in');
      items = [];
      for (;;) {
        this.skipSpaces();
        const c = this.ch();
        if (c === ';' || c === '\n' || this.atEnd()) break;
        if (META.has(c)) this.unexpected();
        items.push(this.readWord());
      }
      if (this.ch() === ';') this.pos++;
      else if (this.ch() === '\n') this.newline();
    } else if (this.ch() === ';') this.pos++;
    this.skipLinebreaks();
    this.expectReserved('do');
    const body = this.parseList(false, false);
    this.expectReserved('done');
    return { t: 'for', name, items, body, redirs: [] };
  }

  private parseCase(): Cmd {
    this.consumeReserved('case');
    this.skipSpaces();
    if (this.atEnd() || META.has(this.ch())) this.unexpected();
    const word = this.readWord();
    this.skipLinebreaks();
    this.expectReserved('in');
    const arms: CaseArm[] = [];
    for (;;) {
      this.skipLinebreaks();
      if (this.peekReserved() === 'esac') {
        this.consumeReserved('esac');
        break;
      }
      if (this.atEnd()) this.eofExpecting(')');
      if (this.ch() === '(') this.pos++;
      const pats: Word[] = [];
      for (;;) {
        this.skipSpaces();
        if (this.atEnd()) this.eofExpecting(')');
        if (META.has(this.ch())) this.unexpected();
        pats.push(this.readWord());
        this.skipSpaces();
        if (this.ch() === '|') {
          this.pos++;
          continue;
        }
        break;
      }
      if (this.atEnd()) this.eofExpecting(')');
      if (this.ch() !== ')') this.unexpected();
      this.pos++;
      this.skipLinebreaks();
      let body: Cmd | undefined;
      if (!(this.startsWith(';;') || this.startsWith(';&') || this.peekReserved() === 'esac')) {
        const b = this.parseList(false, true);
        if (!(b.t === 'list' && b.items.length === 0)) body = b;
      }
      this.skipLinebreaks();
      let term: CaseArm['term'] = ';;';
      if (this.startsWith(';;&')) {
        term = ';;&';
        this.pos += 3;
      } else if (this.startsWith(';;')) {
        this.pos += 2;
      } else if (this.startsWith(';&')) {
        term = ';&';
        this.pos += 2;
      } else if (this.peekReserved() !== 'esac') {
        if (this.atEnd()) this.eofExpecting('esac');
        this.unexpected();
      }
      arms.push({ pats, body, term });
    }
    return { t: 'case', word, arms, redirs: [] };
  }

  private parseFunctionKw(): Cmd {
    this.consumeReserved('function');
    this.skipSpaces();
    const w = this.readWord();
    const name = literalText(w);
    if (!name) this.unexpected();
    this.skipSpaces();
    if (this.ch() === '(') {
      this.pos++;
      this.skipSpaces();
      if (this.ch() !== ')') this.unexpected();
      this.pos++;
    }
    this.skipLinebreaks();
    return { t: 'func', name, body: this.parseCommand() };
  }

  private parseSimple(): Cmd {
    const line = this.line;
    const assigns: Assign[] = [];
    const words: Word[] = [];
    const redirs: Redir[] = [];
    for (;;) {
      this.skipSpaces();
      if (this.atEnd()) break;
      const r = this.tryRedir();
      if (r) {
        redirs.push(r);
        continue;
      }
      if (META.has(this.ch())) break;
      const word = this.readWord();
      if (words.length === 0) {
        const a = this.asAssignment(word);
        if (a) {
          assigns.push(a);
          continue;
        }
      }
      words.push(word);
      if (words.length === 1 && assigns.length === 0 && redirs.length === 0) {
        const name = literalText(word);
        if (name !== undefined && !isQuoted(word) && /^[A-Za-z_][A-Za-z0-9_.:-]*$/.test(name)) {
          const save = this.pos;
          this.skipSpaces();
          if (this.ch() === '(') {
            this.pos++;
            this.skipSpaces();
            if (this.ch() !== ')') this.unexpected();
            this.pos++;
            this.skipLinebreaks();
            return { t: 'func', name, body: this.parseCommand() };
          }
          this.pos = save;
        }
      }
    }
    if (!words.length && !assigns.length && !redirs.length) this.unexpected();
    return { t: 'simple', assigns, words, redirs, line };
  }

  private asAssignment(word: Word): Assign | undefined {
    const first = word.parts[0];
    if (!first || first.k !== 'lit') return undefined;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(\+?)=/.exec(first.v);
    if (!m) return undefined;
    if (m[2] && !this.bashy) return undefined;
    const restLit = first.v.slice(m[0].length);
    const parts: WordPart[] = restLit ? [{ k: 'lit', v: restLit }, ...word.parts.slice(1)] : word.parts.slice(1);
    // Tilde expansion applies right after "=" in assignments.
    if (parts[0]?.k === 'lit' && parts[0].v.startsWith('~')) {
      const t = /^~([A-Za-z0-9._-]*)(?=\/|$|:)/.exec(parts[0].v);
      if (t) {
        const tail = parts[0].v.slice(t[0].length);
        parts.splice(0, 1, { k: 'tilde', user: t[1] }, ...(tail ? [{ k: 'lit' as const, v: tail }] : []));
      }
    }
    const a: Assign = { name: m[1], value: { parts } };
    if (m[2]) a.append = true;
    // name=( ... ): a bash array.
    if (this.flavor === 'bash' && parts.length === 0 && this.ch() === '(') {
      this.pos++;
      const arr: Word[] = [];
      for (;;) {
        this.skipLinebreaks();
        if (this.atEnd()) this.eofExpecting(')');
        if (this.ch() === ')') {
          this.pos++;
          break;
        }
        if (META.has(this.ch())) this.unexpected();
        arr.push(this.readWord());
      }
      a.array = arr;
    }
    return a;
  }

  private tryRedir(): Redir | undefined {
    const rest = this.src.slice(this.pos, this.pos + 16);
    const m = /^(\d*)(&>>|&>|<<<|<<-|<<|<>|<&|>&|>>|>\||<|>)/.exec(rest);
    if (!m) return undefined;
    let op = m[2] as RedirOp;
    if ((op === '&>' || op === '&>>') && (m[1] || !this.bashy)) return undefined;
    if (op === '<<<' && !this.bashy) op = '<<';
    this.pos += m[1].length + op.length;
    this.skipSpaces();
    if (this.atEnd()) throw new ShellSyntaxError('unexpected', this.line, 'newline');
    if (META.has(this.ch())) this.unexpected();
    const target = this.readWord();
    const r: Redir = { op, target };
    if (m[1]) r.fd = Number(m[1]);
    if (op === '<<' || op === '<<-') {
      const delim = literalText(stripQuotes(target)) ?? '';
      this.docs.push({ redir: r, delim, strip: op === '<<-', quoted: isQuoted(target) || target.parts.some((p) => p.k !== 'lit') });
    }
    return r;
  }

  private parseDbrack(): Cmd {
    const line = this.line;
    this.consumeReserved('[[');
    const expr = this.condOr();
    this.skipLinebreaks();
    if (!(this.startsWith(']]') && (META.has(this.ch(2)) || this.ch(2) === ''))) {
      if (this.atEnd()) this.eofExpecting(']]');
      this.unexpected();
    }
    this.pos += 2;
    return { t: 'cond', expr, redirs: [], line };
  }

  private condOr(): CondExpr {
    let a = this.condAnd();
    for (;;) {
      this.skipLinebreaks();
      if (!this.startsWith('||')) return a;
      this.pos += 2;
      a = { k: 'or', a, b: this.condAnd() };
    }
  }

  private condAnd(): CondExpr {
    let a = this.condNot();
    for (;;) {
      this.skipLinebreaks();
      if (!this.startsWith('&&')) return a;
      this.pos += 2;
      a = { k: 'and', a, b: this.condNot() };
    }
  }

  private condNot(): CondExpr {
    this.skipLinebreaks();
    if (this.ch() === '!' && (this.ch(1) === ' ' || this.ch(1) === '\t')) {
      this.pos++;
      return { k: 'not', e: this.condNot() };
    }
    return this.condPrimary();
  }

  private condWord(): Word {
    this.skipLinebreaks();
    if (this.atEnd()) this.eofExpecting(']]');
    if (META.has(this.ch())) this.unexpected();
    return this.readWord();
  }

  private condPrimary(): CondExpr {
    this.skipLinebreaks();
    if (this.ch() === '(') {
      this.pos++;
      const e = this.condOr();
      this.skipLinebreaks();
      if (this.ch() !== ')') this.unexpected();
      this.pos++;
      return e;
    }
    const w = this.condWord();
    const wt = literalText(w);
    this.skipSpaces();
    const atClose = this.startsWith(']]') || this.startsWith('&&') || this.startsWith('||') || this.ch() === ')';
    if (wt !== undefined && !isQuoted(w) && /^-[a-zA-Z]$/.test(wt) && !atClose && !this.atBinaryOp()) {
      return { k: 'un', op: wt, arg: this.condWord() };
    }
    if (this.ch() === '<' || this.ch() === '>') {
      const op = this.ch();
      this.pos++;
      return { k: 'bin', op, l: w, r: this.condWord() };
    }
    const save = this.pos;
    if (!atClose && !this.atEnd() && !META.has(this.ch())) {
      const opw = this.readWord();
      const op = literalText(opw);
      if (op !== undefined && /^(==?|!=|=~|-(eq|ne|lt|le|gt|ge|nt|ot|ef))$/.test(op)) {
        if (op === '=~') return { k: 'bin', op, l: w, r: this.regexWord() };
        return { k: 'bin', op, l: w, r: this.condWord() };
      }
      this.pos = save;
      this.unexpected();
    }
    return { k: 'word', w };
  }

  private atBinaryOp(): boolean {
    const m = /^(==?|!=|=~|-(eq|ne|lt|le|gt|ge|nt|ot|ef))(?=[ \t])/.exec(this.src.slice(this.pos, this.pos + 5));
    return !!m;
  }

  // The right side of =~: parentheses and | belong to the regular expression.
  private regexWord(): Word {
    this.skipSpaces();
    const parts: WordPart[] = [];
    let buf = '';
    let depth = 0;
    while (!this.atEnd()) {
      const c = this.ch();
      if (depth === 0 && (c === ' ' || c === '\t' || c === '\n')) break;
      if (c === '(') depth++;
      if (c === ')') {
        if (depth === 0) break;
        depth--;
      }
      if (c === '\\' && this.ch(1)) {
        if (buf) parts.push({ k: 'lit', v: buf });
        buf = '';
        parts.push({ k: 'sq', v: this.ch(1) });
        this.pos += 2;
        continue;
      }
      if (c === "'" || c === '"' || c === '$') {
        if (buf) parts.push({ k: 'lit', v: buf });
        buf = '';
        if (c === "'") parts.push({ k: 'sq', v: this.readSingle() });
        else if (c === '"') parts.push({ k: 'dq', parts: this.readDouble() });
        else {
          const p = this.readDollar(false);
          if (p) parts.push(p);
          else {
            buf += '$';
            this.pos++;
          }
        }
        continue;
      }
      buf += c;
      this.pos++;
    }
    if (buf) parts.push({ k: 'lit', v: buf });
    return { parts };
  }

  // --- words -----------------------------------------------------------------------

  private readWord(): Word {
    const parts: WordPart[] = [];
    let buf = '';
    const flush = (): void => {
      if (buf) parts.push({ k: 'lit', v: buf });
      buf = '';
    };
    if (this.ch() === '~') {
      const m = /^~([A-Za-z0-9._-]*)/.exec(this.src.slice(this.pos, this.pos + 64));
      const after = this.src[this.pos + (m ? m[0].length : 1)] ?? '';
      if (m && (after === '' || after === '/' || META.has(after))) {
        parts.push({ k: 'tilde', user: m[1] });
        this.pos += m[0].length;
      }
    }
    while (!this.atEnd()) {
      const c = this.ch();
      if (META.has(c)) break;
      if (c === '\\') {
        const n = this.ch(1);
        if (n === '\n') {
          this.pos += 2;
          this.line++;
          continue;
        }
        if (n === '') {
          buf += '\\';
          this.pos++;
          continue;
        }
        flush();
        parts.push({ k: 'sq', v: n });
        this.pos += 2;
        continue;
      }
      if (c === "'") {
        flush();
        parts.push({ k: 'sq', v: this.readSingle() });
        continue;
      }
      if (c === '"') {
        flush();
        parts.push({ k: 'dq', parts: this.readDouble() });
        continue;
      }
      if (c === '$') {
        const p = this.readDollar(false);
        if (p) {
          flush();
          parts.push(p);
          continue;
        }
        buf += '$';
        this.pos++;
        continue;
      }
      if (c === '`') {
        flush();
        parts.push(this.readBackquote(false));
        continue;
      }
      buf += c;
      this.pos++;
    }
    flush();
    return { parts };
  }

  private readSingle(): string {
    const end = this.src.indexOf("'", this.pos + 1);
    if (end < 0) throw new ShellSyntaxError('unterminated', this.line, "'");
    const s = this.src.slice(this.pos + 1, end);
    this.line += countNl(s);
    this.pos = end + 1;
    return s;
  }

  // The parts of a "..." string; the position is on the opening quote.
  private readDouble(): WordPart[] {
    const startLine = this.line;
    this.pos++;
    const parts: WordPart[] = [];
    let buf = '';
    const flush = (): void => {
      if (buf) parts.push({ k: 'lit', v: buf });
      buf = '';
    };
    for (;;) {
      if (this.atEnd()) throw new ShellSyntaxError('unterminated', startLine, '"');
      const c = this.ch();
      if (c === '"') {
        this.pos++;
        break;
      }
      if (c === '\\') {
        const n = this.ch(1);
        if (n === '\n') {
          this.pos += 2;
          this.line++;
          continue;
        }
        if (n === '$' || n === '`' || n === '"' || n === '\\') {
          buf += n;
          this.pos += 2;
          continue;
        }
        buf += '\\';
        this.pos++;
        continue;
      }
      if (c === '$') {
        const p = this.readDollar(true);
        if (p) {
          flush();
          parts.push(p);
          continue;
        }
        buf += '$';
        this.pos++;
        continue;
      }
      if (c === '`') {
        flush();
        parts.push(this.readBackquote(true));
        continue;
      }
      if (c === '\n') this.line++;
      buf += c;
      this.pos++;
    }
    flush();
    return parts;
  }

  // Here-document bodies and arithmetic text: only $, ` and \ are special.
  looseWord(quoted: boolean): Word {
    const parts: WordPart[] = [];
    let buf = '';
    const flush = (): void => {
      if (buf) parts.push({ k: 'lit', v: buf });
      buf = '';
    };
    while (!this.atEnd()) {
      const c = this.ch();
      if (c === '\\') {
        const n = this.ch(1);
        if (n === '$' || n === '`' || n === '\\') {
          buf += n;
          this.pos += 2;
          continue;
        }
        if (n === '\n') {
          this.pos += 2;
          continue;
        }
        buf += c;
        this.pos++;
        continue;
      }
      if (c === '$') {
        const p = this.readDollar(true);
        if (p) {
          flush();
          parts.push(p);
          continue;
        }
      } else if (c === '`') {
        flush();
        parts.push(this.readBackquote(true));
        continue;
      } else if (c === '"' && !quoted) {
        // Double quotes inside $((...)) just group.
        this.pos++;
        continue;
      }
      buf += c;
      this.pos++;
    }
    flush();
    return quoted ? { parts: [{ k: 'dq', parts }] } : { parts };
  }

  // Finds the "))" closing an arithmetic expression that starts at `from`; undefined
  // when the parentheses do not balance that way (then "$((" was "$( (").
  private scanDoubleParen(from: number): { text: string; end: number } | undefined {
    let depth = 0;
    let i = from;
    while (i < this.src.length) {
      const c = this.src[i];
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === "'") {
        const e = this.src.indexOf("'", i + 1);
        if (e < 0) return undefined;
        i = e + 1;
        continue;
      }
      if (c === '(') depth++;
      else if (c === ')') {
        if (depth > 0) depth--;
        else {
          if (this.src[i + 1] === ')') {
            const text = this.src.slice(from, i);
            this.line += countNl(text);
            return { text, end: i + 2 };
          }
          return undefined;
        }
      }
      i++;
    }
    return undefined;
  }

  private readDollar(inDq: boolean): WordPart | undefined {
    const n = this.ch(1);
    if (n === '{') return this.readBrace(inDq);
    if (n === '(') {
      if (this.ch(2) === '(') {
        const inner = this.scanDoubleParen(this.pos + 3);
        if (inner) {
          this.pos = inner.end;
          return { k: 'arith', expr: new Parser(inner.text, this.flavor).looseWord(false) };
        }
      }
      this.pos += 2;
      const startLine = this.line;
      if (++this.depth > MAX_DEPTH) throw new ShellSyntaxError('unexpected', this.line, 'nesting too deep');
      const body = this.parseList(false, true);
      this.depth--;
      this.skipLinebreaks();
      if (this.atEnd()) throw new ShellSyntaxError('eof', startLine, '', ')');
      if (this.ch() !== ')') this.unexpected();
      this.pos++;
      return { k: 'cmd', body };
    }
    if (n === "'" && !inDq && this.bashy) {
      this.pos++;
      return { k: 'sq', v: this.readAnsiC() };
    }
    if (/[A-Za-z_]/.test(n)) {
      let i = this.pos + 1;
      while (i < this.src.length && /[A-Za-z0-9_]/.test(this.src[i])) i++;
      const name = this.src.slice(this.pos + 1, i);
      this.pos = i;
      return { k: 'param', name, op: '' };
    }
    if (/[0-9]/.test(n) || (n !== '' && SPECIAL_PARAMS.includes(n))) {
      this.pos += 2;
      return { k: 'param', name: n, op: '' };
    }
    return undefined;
  }

  // $'...': backslash escapes as in C.
  private readAnsiC(): string {
    this.pos++;
    let out = '';
    for (;;) {
      if (this.atEnd()) throw new ShellSyntaxError('unterminated', this.line, "'");
      const c = this.ch();
      if (c === "'") {
        this.pos++;
        return out;
      }
      if (c === '\\') {
        const { text, len } = cEscape(this.src, this.pos + 1, true);
        out += text;
        this.pos += 1 + len;
        continue;
      }
      if (c === '\n') this.line++;
      out += c;
      this.pos++;
    }
  }

  private readBrace(inDq: boolean): WordPart {
    const startLine = this.line;
    this.pos += 2;
    const part: ParamPart = { k: 'param', name: '', op: '' };
    const missing = (): never => {
      throw new ShellSyntaxError('brace', startLine);
    };
    const bad = (): never => {
      let i = this.pos;
      while (i < this.src.length && this.src[i] !== '}') i++;
      throw new ShellSyntaxError('subst', startLine, this.src.slice(this.pos, i));
    };
    if (this.ch() === '#' && this.ch(1) !== '}' && this.ch(1) !== '') {
      // ${#x}; but ${#-...} style operators on $# are not supported.
      this.pos++;
      part.op = 'len';
    } else if (this.ch() === '!' && this.flavor !== 'ash' && /[A-Za-z_]/.test(this.ch(1))) {
      this.pos++;
      part.indirect = true;
      if (this.flavor === 'dash') part.bad = true;
    }
    const c = this.ch();
    if (/[A-Za-z_]/.test(c)) {
      let i = this.pos;
      while (i < this.src.length && /[A-Za-z0-9_]/.test(this.src[i])) i++;
      part.name = this.src.slice(this.pos, i);
      this.pos = i;
    } else if (/[0-9]/.test(c)) {
      let i = this.pos;
      while (i < this.src.length && /[0-9]/.test(this.src[i])) i++;
      part.name = this.src.slice(this.pos, i);
      this.pos = i;
    } else if (c !== '' && SPECIAL_PARAMS.includes(c)) {
      part.name = c;
      this.pos++;
    } else if (this.atEnd()) missing();
    else bad();
    if (this.ch() === '[' && this.bashy) {
      const end = this.src.indexOf(']', this.pos);
      if (end < 0) missing();
      part.index = new Parser(this.src.slice(this.pos + 1, end), this.flavor).looseWord(false);
      this.pos = end + 1;
    }
    if (part.op === 'len') {
      if (this.ch() !== '}') this.atEnd() ? missing() : bad();
      this.pos++;
      return part;
    }
    const rest = this.src.slice(this.pos, this.pos + 3);
    let op: ParamOp | undefined;
    let stops = '}';
    if (rest[0] === '}') {
      this.pos++;
      return part;
    }
    const m = /^(:[-=?+]|[-=?+]|##|#|%%|%|\/\/|\/#|\/%|\/|\^\^|,,|\^|,|:)/.exec(rest);
    if (!m) {
      if (this.atEnd()) missing();
      bad();
    } else {
      op = m[1] as ParamOp;
      this.pos += op.length;
      if (op === '/' || op === '//' || op === '/#' || op === '/%') stops = '/}';
      if (op === ':') stops = ':}';
    }
    part.op = op ?? '';
    // dash knows none of the bash operators; it fails when expanding them.
    if (this.flavor === 'dash' && op !== undefined && /^(\/|:$|\^|,)/.test(op)) part.bad = true;
    part.arg = this.braceArg(stops, inDq, startLine);
    if ((stops === '/}' || stops === ':}') && this.ch() === stops[0]) {
      this.pos++;
      part.arg2 = this.braceArg('}', inDq, startLine);
    }
    if (this.ch() !== '}') missing();
    this.pos++;
    return part;
  }

  // The word inside ${x-word}: it ends at an unquoted character of `stops`.
  private braceArg(stops: string, inDq: boolean, startLine: number): Word {
    const parts: WordPart[] = [];
    let buf = '';
    let depth = 0;
    const flush = (): void => {
      if (buf) parts.push({ k: inDq ? 'sq' : 'lit', v: buf });
      buf = '';
    };
    for (;;) {
      if (this.atEnd()) throw new ShellSyntaxError('brace', startLine);
      const c = this.ch();
      if (depth === 0 && stops.includes(c)) break;
      if (c === '{') depth++;
      if (c === '}') depth--;
      if (c === '\\') {
        const n = this.ch(1);
        flush();
        if (n === '\n') {
          this.pos += 2;
          continue;
        }
        parts.push({ k: 'sq', v: n });
        this.pos += 2;
        continue;
      }
      if (c === "'" && !inDq) {
        flush();
        parts.push({ k: 'sq', v: this.readSingle() });
        continue;
      }
      if (c === '"') {
        flush();
        parts.push({ k: 'dq', parts: this.readDouble() });
        continue;
      }
      if (c === '$') {
        const p = this.readDollar(inDq);
        if (p) {
          flush();
          parts.push(inDq && p.k !== 'dq' ? { k: 'dq', parts: [p] } : p);
          continue;
        }
      }
      if (c === '`') {
        flush();
        const p = this.readBackquote(inDq);
        parts.push(inDq ? { k: 'dq', parts: [p] } : p);
        continue;
      }
      if (c === '\n') this.line++;
      buf += c;
      this.pos++;
    }
    flush();
    return { parts };
  }

  private readBackquote(inDq: boolean): WordPart {
    const startLine = this.line;
    let i = this.pos + 1;
    let text = '';
    for (;;) {
      if (i >= this.src.length) throw new ShellSyntaxError('backquote', startLine);
      const c = this.src[i];
      if (c === '`') break;
      if (c === '\\') {
        const n = this.src[i + 1] ?? '';
        if (n === '$' || n === '`' || n === '\\' || (inDq && n === '"')) {
          text += n;
          i += 2;
          continue;
        }
      }
      if (c === '\n') this.line++;
      text += c;
      i++;
    }
    this.pos = i + 1;
    if (++this.depth > MAX_DEPTH) throw new ShellSyntaxError('unexpected', this.line, 'nesting too deep');
    const sub = new Parser(text, this.flavor, startLine);
    sub.depth = this.depth;
    const body = sub.parseAll();
    this.depth--;
    return { k: 'cmd', body };
  }
}

function countNl(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

function stripQuotes(w: Word): Word {
  return {
    parts: w.parts.map((p): WordPart => (p.k === 'dq' ? { k: 'sq', v: literalText({ parts: p.parts }) ?? '' } : p)),
  };
}

// Splits `s` on `sep` outside parentheses (for `for ((a; b; c))`).
function splitTopLevel(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of s) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === sep && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

// Decodes one C-style backslash escape starting after the backslash at `i`. Used by
// $'...', echo -e and printf. `len` is how many characters after the backslash it took.
export function cEscape(s: string, i: number, ansi: boolean): { text: string; len: number; stop?: boolean } {
  const c = s[i] ?? '';
  switch (c) {
    case 'n':
      return { text: '\n', len: 1 };
    case 't':
      return { text: '\t', len: 1 };
    case 'r':
      return { text: '\r', len: 1 };
    case 'a':
      return { text: '\x07', len: 1 };
    case 'b':
      return { text: '\b', len: 1 };
    case 'f':
      return { text: '\f', len: 1 };
    case 'v':
      return { text: '\v', len: 1 };
    case 'e':
    case 'E':
      return { text: '\x1b', len: 1 };
    case '\\':
      return { text: '\\', len: 1 };
    case "'":
      return { text: "'", len: 1 };
    case '"':
      return { text: ansi ? '"' : '\\"', len: 1 };
    case 'c':
      return ansi ? { text: '\\c', len: 1 } : { text: '', len: 1, stop: true };
    case 'x': {
      const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 1, i + 3));
      if (!m) return { text: '\\x', len: 1 };
      return { text: String.fromCharCode(parseInt(m[0], 16)), len: 1 + m[0].length };
    }
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7': {
      // echo -e wants \0NNN; $'..' and printf take \NNN.
      const m = ansi ? /^[0-7]{1,3}/.exec(s.slice(i, i + 3)) : /^0?[0-7]{0,3}/.exec(s.slice(i, i + 4));
      if (!m || (!ansi && c !== '0')) return { text: '\\' + c, len: 1 };
      const digits = ansi ? m[0] : m[0].slice(1) || '0';
      return { text: String.fromCharCode(parseInt(digits, 8) & 0xff), len: m[0].length };
    }
    case '':
      return { text: '\\', len: 0 };
    default:
      return { text: '\\' + c, len: 1 };
  }
}
