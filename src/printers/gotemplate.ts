// Go's text/template (as in Go 1.23, which kubectl 1.32 is built with) for
// `kubectl -o go-template=...` / `--template`, with kubectl's extra functions
// `exists` and `base64decode`, and kubectl's GoTemplatePrinter around it.

import {
  compareGoStrings,
  formatGoFloat,
  formatRuneU,
  GoFloat,
  GoInt,
  goJson,
  goQuote,
  goSprint,
  goSyntax,
  goTypeName,
  GoValue,
  KubectlTemplateError,
  sortedKeys,
  toGo,
  utf8Bytes,
} from './jsonpath';

// ---------------------------------------------------------------------------
// Lexer (text/template/parse/lex.go)

enum T {
  Error,
  Bool,
  Char,
  CharConstant,
  Comment,
  Complex,
  Assign,
  Declare,
  EOF,
  Field,
  Identifier,
  LeftDelim,
  LeftParen,
  Number,
  Pipe,
  RawString,
  RightDelim,
  RightParen,
  Space,
  String,
  Text,
  Variable,
  Keyword, // keywords follow
  Block,
  Break,
  Continue,
  Dot,
  Define,
  Else,
  End,
  If,
  Nil,
  Range,
  Template,
  With,
}

const KEYWORDS: Record<string, T> = {
  '.': T.Dot,
  block: T.Block,
  break: T.Break,
  continue: T.Continue,
  define: T.Define,
  else: T.Else,
  end: T.End,
  if: T.If,
  range: T.Range,
  nil: T.Nil,
  template: T.Template,
  with: T.With,
};

interface Item {
  typ: T;
  pos: number;
  val: string;
  line: number;
}

// %.10q: the first ten characters, quoted.
function itemString(i: Item): string {
  if (i.typ === T.EOF) return 'EOF';
  if (i.typ === T.Error) return i.val;
  if (i.typ > T.Keyword) return `<${i.val}>`;
  const chars = [...i.val];
  if (chars.length > 10) return `${goQuote(chars.slice(0, 10).join(''))}...`;
  return goQuote(i.val);
}

const LEFT_DELIM = '{{';
const RIGHT_DELIM = '}}';
const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';
const SPACE_CHARS = ' \t\r\n';
const EOF_RUNE = -1;

function isSpace(r: number): boolean {
  return r === 0x20 || r === 0x09 || r === 0x0d || r === 0x0a;
}

function isAlphaNumeric(r: number): boolean {
  return r === 0x5f || (r >= 0 && /[\p{L}\p{Nd}]/u.test(String.fromCodePoint(r)));
}

function hasLeftTrimMarker(s: string): boolean {
  return s.length >= 2 && s[0] === '-' && isSpace(s.charCodeAt(1));
}

function hasRightTrimMarker(s: string): boolean {
  return s.length >= 2 && isSpace(s.charCodeAt(0)) && s[1] === '-';
}

function trimLeftLength(s: string): number {
  let i = 0;
  while (i < s.length && SPACE_CHARS.includes(s[i])) i++;
  return i;
}

function trimRightLength(s: string): number {
  let i = s.length;
  while (i > 0 && SPACE_CHARS.includes(s[i - 1])) i--;
  return s.length - i;
}

type StateFn = ((l: Lexer) => StateFn) | null;

// Fields are public: the state functions below are free functions, as in Go.
class Lexer {
  pos = 0;
  start = 0;
  atEOF = false;
  parenDepth = 0;
  line = 1;
  startLine = 1;
  item: Item = { typ: T.EOF, pos: 0, val: '', line: 1 };
  insideAction = false;

  constructor(public input: string) {}

  nextItem(): Item {
    this.item = { typ: T.EOF, pos: this.pos, val: 'EOF', line: this.startLine };
    let state: StateFn = this.insideAction ? lexInsideAction : lexText;
    while (state) state = state(this);
    return this.item;
  }

  next(): number {
    if (this.pos >= this.input.length) {
      this.atEOF = true;
      return EOF_RUNE;
    }
    const r = this.input.codePointAt(this.pos) ?? 0;
    this.pos += r > 0xffff ? 2 : 1;
    if (r === 0x0a) this.line++;
    return r;
  }

  peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  backup(): void {
    if (!this.atEOF && this.pos > 0) {
      const prev = this.input.charCodeAt(this.pos - 1);
      this.pos -= prev >= 0xdc00 && prev <= 0xdfff && this.pos > 1 ? 2 : 1;
      if (prev === 0x0a) this.line--;
    }
  }

  thisItem(t: T): Item {
    const i = { typ: t, pos: this.start, val: this.input.slice(this.start, this.pos), line: this.startLine };
    this.start = this.pos;
    this.startLine = this.line;
    return i;
  }

  emit(t: T): StateFn {
    return this.emitItem(this.thisItem(t));
  }

  emitItem(i: Item): StateFn {
    this.item = i;
    return null;
  }

  // Skips pending input, counting its newlines.
  ignore(): void {
    this.line += countNewlines(this.input.slice(this.start, this.pos));
    this.start = this.pos;
    this.startLine = this.line;
  }

  accept(valid: string): boolean {
    const r = this.next();
    if (r !== EOF_RUNE && valid.includes(String.fromCodePoint(r))) return true;
    this.backup();
    return false;
  }

  acceptRun(valid: string): void {
    for (;;) {
      const r = this.next();
      if (r === EOF_RUNE || !valid.includes(String.fromCodePoint(r))) break;
    }
    this.backup();
  }

  errorf(msg: string): StateFn {
    this.item = { typ: T.Error, pos: this.start, val: msg, line: this.startLine };
    this.start = 0;
    this.pos = 0;
    this.input = '';
    return null;
  }

  atRightDelim(): { delim: boolean; trim: boolean } {
    const rest = this.input.slice(this.pos);
    if (hasRightTrimMarker(rest) && rest.slice(2).startsWith(RIGHT_DELIM)) return { delim: true, trim: true };
    if (rest.startsWith(RIGHT_DELIM)) return { delim: true, trim: false };
    return { delim: false, trim: false };
  }

  atTerminator(): boolean {
    const r = this.peek();
    if (isSpace(r)) return true;
    if (r === EOF_RUNE || '.,|:)('.includes(String.fromCodePoint(r))) return true;
    return this.input.startsWith(RIGHT_DELIM, this.pos);
  }

  scanNumber(): boolean {
    this.accept('+-');
    let digits = '0123456789_';
    if (this.accept('0')) {
      if (this.accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (this.accept('oO')) digits = '01234567_';
      else if (this.accept('bB')) digits = '01_';
    }
    this.acceptRun(digits);
    if (this.accept('.')) this.acceptRun(digits);
    if (digits.length === 11 && this.accept('eE')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    if (digits.length === 23 && this.accept('pP')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    this.accept('i');
    if (isAlphaNumeric(this.peek())) {
      this.next();
      return false;
    }
    return true;
  }
}

function countNewlines(s: string): number {
  let n = 0;
  for (const c of s) if (c === '\n') n++;
  return n;
}

function lexText(l: Lexer): StateFn {
  const x = l.input.indexOf(LEFT_DELIM, l.pos);
  if (x >= 0) {
    if (x > l.pos) {
      l.pos = x;
      let trim = 0;
      const delimEnd = l.pos + LEFT_DELIM.length;
      if (hasLeftTrimMarker(l.input.slice(delimEnd))) trim = trimRightLength(l.input.slice(l.start, l.pos));
      l.pos -= trim;
      l.line += countNewlines(l.input.slice(l.start, l.pos));
      const i = l.thisItem(T.Text);
      l.pos += trim;
      l.ignore();
      if (i.val.length > 0) return l.emitItem(i);
    }
    return lexLeftDelim;
  }
  l.pos = l.input.length;
  if (l.pos > l.start) {
    l.line += countNewlines(l.input.slice(l.start, l.pos));
    return l.emit(T.Text);
  }
  return l.emit(T.EOF);
}

function lexLeftDelim(l: Lexer): StateFn {
  l.pos += LEFT_DELIM.length;
  const trim = hasLeftTrimMarker(l.input.slice(l.pos));
  const afterMarker = trim ? 2 : 0;
  if (l.input.startsWith(LEFT_COMMENT, l.pos + afterMarker)) {
    l.pos += afterMarker;
    l.ignore();
    return lexComment;
  }
  const i = l.thisItem(T.LeftDelim);
  l.insideAction = true;
  l.pos += afterMarker;
  l.ignore();
  l.parenDepth = 0;
  return l.emitItem(i);
}

function lexComment(l: Lexer): StateFn {
  l.pos += LEFT_COMMENT.length;
  const x = l.input.indexOf(RIGHT_COMMENT, l.pos);
  if (x < 0) return l.errorf('unclosed comment');
  l.pos = x + RIGHT_COMMENT.length;
  const { delim, trim } = l.atRightDelim();
  if (!delim) return l.errorf('comment ends before closing delimiter');
  l.line += countNewlines(l.input.slice(l.start, l.pos));
  l.thisItem(T.Comment);
  if (trim) l.pos += 2;
  l.pos += RIGHT_DELIM.length;
  if (trim) l.pos += trimLeftLength(l.input.slice(l.pos));
  l.ignore();
  // text/template parses without ParseComments: comments are dropped here.
  return lexText;
}

function lexRightDelim(l: Lexer): StateFn {
  const { trim } = l.atRightDelim();
  if (trim) {
    l.pos += 2;
    l.ignore();
  }
  l.pos += RIGHT_DELIM.length;
  const i = l.thisItem(T.RightDelim);
  if (trim) {
    l.pos += trimLeftLength(l.input.slice(l.pos));
    l.ignore();
  }
  l.insideAction = false;
  return l.emitItem(i);
}

function lexInsideAction(l: Lexer): StateFn {
  if (l.atRightDelim().delim) {
    if (l.parenDepth === 0) return lexRightDelim;
    return l.errorf('unclosed left paren');
  }
  const r = l.next();
  if (r === EOF_RUNE) return l.errorf('unclosed action');
  if (isSpace(r)) {
    l.backup();
    return lexSpace;
  }
  switch (r) {
    case 0x3d: // =
      return l.emit(T.Assign);
    case 0x3a: // :
      if (l.next() !== 0x3d) return l.errorf('expected :=');
      return l.emit(T.Declare);
    case 0x7c: // |
      return l.emit(T.Pipe);
    case 0x22: // "
      return lexQuote;
    case 0x60: // `
      return lexRawQuote;
    case 0x24: // $
      return lexVariable;
    case 0x27: // '
      return lexChar;
    case 0x28: // (
      l.parenDepth++;
      return l.emit(T.LeftParen);
    case 0x29: // )
      l.parenDepth--;
      if (l.parenDepth < 0) return l.errorf('unexpected right paren');
      return l.emit(T.RightParen);
  }
  if (r === 0x2e) {
    // ".field" unless a digit follows ("." can start a number).
    if (l.pos < l.input.length) {
      const c = l.input[l.pos];
      if (c < '0' || c > '9') return lexField;
    }
  }
  if (r === 0x2e || r === 0x2b || r === 0x2d || (r >= 0x30 && r <= 0x39)) {
    l.backup();
    return lexNumber;
  }
  if (isAlphaNumeric(r)) {
    l.backup();
    return lexIdentifier;
  }
  if (r <= 0x7f && r >= 0x20 && r !== 0x7f) return l.emit(T.Char);
  return l.errorf(`unrecognized character in action: ${formatRuneU(r)}`);
}

function lexSpace(l: Lexer): StateFn {
  let numSpaces = 0;
  while (isSpace(l.peek())) {
    l.next();
    numSpaces++;
  }
  const rest = l.input.slice(l.pos - 1);
  if (hasRightTrimMarker(rest) && rest.slice(2).startsWith(RIGHT_DELIM)) {
    l.backup();
    if (numSpaces === 1) return lexRightDelim;
  }
  return l.emit(T.Space);
}

function lexIdentifier(l: Lexer): StateFn {
  for (;;) {
    const r = l.next();
    if (isAlphaNumeric(r)) continue;
    l.backup();
    const word = l.input.slice(l.start, l.pos);
    if (!l.atTerminator()) return l.errorf(`bad character ${formatRuneU(r)}`);
    const kw = KEYWORDS[word];
    if (kw !== undefined && kw > T.Keyword) return l.emit(kw);
    if (word[0] === '.') return l.emit(T.Field);
    if (word === 'true' || word === 'false') return l.emit(T.Bool);
    return l.emit(T.Identifier);
  }
}

function lexField(l: Lexer): StateFn {
  return lexFieldOrVariable(l, T.Field);
}

function lexVariable(l: Lexer): StateFn {
  if (l.atTerminator()) return l.emit(T.Variable);
  return lexFieldOrVariable(l, T.Variable);
}

function lexFieldOrVariable(l: Lexer, typ: T): StateFn {
  if (l.atTerminator()) return l.emit(typ === T.Variable ? T.Variable : T.Dot);
  let r: number;
  for (;;) {
    r = l.next();
    if (!isAlphaNumeric(r)) {
      l.backup();
      break;
    }
  }
  if (!l.atTerminator()) return l.errorf(`bad character ${formatRuneU(r)}`);
  return l.emit(typ);
}

function lexChar(l: Lexer): StateFn {
  for (;;) {
    let r = l.next();
    if (r === 0x5c) {
      r = l.next();
      if (r !== EOF_RUNE && r !== 0x0a) continue;
      return l.errorf('unterminated character constant');
    }
    if (r === EOF_RUNE || r === 0x0a) return l.errorf('unterminated character constant');
    if (r === 0x27) break;
  }
  return l.emit(T.CharConstant);
}

function lexNumber(l: Lexer): StateFn {
  if (!l.scanNumber()) return l.errorf(`bad number syntax: ${goQuote(l.input.slice(l.start, l.pos))}`);
  const sign = l.peek();
  if (sign === 0x2b || sign === 0x2d) {
    if (!l.scanNumber() || l.input[l.pos - 1] !== 'i') return l.errorf(`bad number syntax: ${goQuote(l.input.slice(l.start, l.pos))}`);
    return l.emit(T.Complex);
  }
  return l.emit(T.Number);
}

function lexQuote(l: Lexer): StateFn {
  for (;;) {
    let r = l.next();
    if (r === 0x5c) {
      r = l.next();
      if (r !== EOF_RUNE && r !== 0x0a) continue;
      return l.errorf('unterminated quoted string');
    }
    if (r === EOF_RUNE || r === 0x0a) return l.errorf('unterminated quoted string');
    if (r === 0x22) break;
  }
  return l.emit(T.String);
}

function lexRawQuote(l: Lexer): StateFn {
  for (;;) {
    const r = l.next();
    if (r === EOF_RUNE) return l.errorf('unterminated raw quoted string');
    if (r === 0x60) break;
  }
  return l.emit(T.RawString);
}

// ---------------------------------------------------------------------------
// Parse tree (text/template/parse/node.go)

interface NumberNode {
  type: 'number';
  pos: number;
  text: string;
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  isComplex: boolean;
  int: number;
  float: number;
}

type ArgNode =
  | { type: 'identifier'; pos: number; ident: string }
  | { type: 'variable'; pos: number; ident: string[] }
  | { type: 'dot'; pos: number }
  | { type: 'nil'; pos: number }
  | { type: 'field'; pos: number; ident: string[] }
  | { type: 'chain'; pos: number; node: ArgNode; field: string[] }
  | { type: 'bool'; pos: number; value: boolean }
  | NumberNode
  | { type: 'string'; pos: number; quoted: string; text: string }
  | PipeNode;

interface CommandNode {
  type: 'command';
  pos: number;
  args: ArgNode[];
}

interface PipeNode {
  type: 'pipe';
  pos: number;
  isAssign: boolean;
  decl: { pos: number; ident: string[] }[];
  cmds: CommandNode[];
}

interface ListNode {
  type: 'list';
  pos: number;
  nodes: TreeNode[];
}

interface BranchNode {
  pos: number;
  pipe: PipeNode;
  list: ListNode;
  elseList: ListNode | undefined;
}

type TreeNode =
  | ListNode
  | { type: 'text'; pos: number; text: string }
  | { type: 'action'; pos: number; pipe: PipeNode }
  | ({ type: 'if' } & BranchNode)
  | ({ type: 'range' } & BranchNode)
  | ({ type: 'with' } & BranchNode)
  | { type: 'template'; pos: number; name: string; pipe: PipeNode | undefined }
  | { type: 'break'; pos: number }
  | { type: 'continue'; pos: number }
  | { type: 'end'; pos: number }
  | { type: 'else'; pos: number };

type AnyNode = TreeNode | ArgNode | CommandNode;

function nodeString(n: AnyNode | undefined): string {
  if (!n) return '';
  switch (n.type) {
    case 'identifier':
      return n.ident;
    case 'variable':
      return n.ident.join('.');
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'field':
      return n.ident.map((f) => `.${f}`).join('');
    case 'chain': {
      const head = n.node.type === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node);
      return head + n.field.map((f) => `.${f}`).join('');
    }
    case 'bool':
      return n.value ? 'true' : 'false';
    case 'number':
      return n.text;
    case 'string':
      return n.quoted;
    case 'pipe': {
      let s = '';
      if (n.decl.length > 0) s = n.decl.map((d) => d.ident.join('.')).join(', ') + (n.isAssign ? ' = ' : ' := ');
      return s + n.cmds.map(nodeString).join(' | ');
    }
    case 'command':
      return n.args.map((a) => (a.type === 'pipe' ? `(${nodeString(a)})` : nodeString(a))).join(' ');
    case 'list':
      return n.nodes.map(nodeString).join('');
    case 'text':
      return n.text;
    case 'action':
      return `{{${nodeString(n.pipe)}}}`;
    case 'if':
    case 'range':
    case 'with': {
      const head = `{{${n.type} ${nodeString(n.pipe)}}}${nodeString(n.list)}`;
      return n.elseList ? `${head}{{else}}${nodeString(n.elseList)}{{end}}` : `${head}{{end}}`;
    }
    case 'template':
      return n.pipe ? `{{template ${goQuote(n.name)} ${nodeString(n.pipe)}}}` : `{{template ${goQuote(n.name)}}}`;
    case 'break':
      return '{{break}}';
    case 'continue':
      return '{{continue}}';
    case 'end':
      return '{{end}}';
    case 'else':
      return '{{else}}';
  }
}

// ---------------------------------------------------------------------------
// Parser (text/template/parse/parse.go)

// A template that failed to parse; the message is text/template's
// ("template: output:1: ...").
export class GoTemplateParseError extends Error {}

const BUILTIN_NAMES = new Set([
  'and',
  'call',
  'html',
  'index',
  'slice',
  'js',
  'len',
  'not',
  'or',
  'print',
  'printf',
  'println',
  'urlquery',
  'eq',
  'ge',
  'gt',
  'le',
  'lt',
  'ne',
  // kubectl's additions
  'exists',
  'base64decode',
]);

interface Tree {
  name: string;
  root: ListNode;
}

class TreeParser {
  root: ListNode = { type: 'list', pos: 0, nodes: [] };
  private token: Item[] = [];
  private peekCount = 0;
  private vars: string[] = ['$'];
  private actionLine = 0;
  private rangeDepth = 0;

  constructor(
    public name: string,
    private readonly parseName: string,
    private readonly lex: Lexer,
    private readonly treeSet: Map<string, Tree>,
  ) {}

  private errorf(msg: string): never {
    const line = this.token[0]?.line ?? 1;
    throw new GoTemplateParseError(`template: ${this.parseName}:${line}: ${msg}`);
  }

  private next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.lex.nextItem();
    return this.token[this.peekCount];
  }

  private backup(): void {
    this.peekCount++;
  }

  private backup2(t1: Item): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }

  private backup3(t2: Item, t1: Item): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }

  private peek(): Item {
    if (this.peekCount > 0) return this.token[this.peekCount - 1];
    this.peekCount = 1;
    this.token[0] = this.lex.nextItem();
    return this.token[0];
  }

  private nextNonSpace(): Item {
    let t: Item;
    do t = this.next();
    while (t.typ === T.Space);
    return t;
  }

  private peekNonSpace(): Item {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  private expect(expected: T, context: string): Item {
    const t = this.nextNonSpace();
    if (t.typ !== expected) this.unexpected(t, context);
    return t;
  }

  private unexpected(token: Item, context: string): never {
    if (token.typ === T.Error) {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.parseName}:${this.actionLine}`;
        if (token.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${itemString(token)}${extra}`);
    }
    this.errorf(`unexpected ${itemString(token)} in ${context}`);
  }

  parse(): void {
    this.root = { type: 'list', pos: this.peek().pos, nodes: [] };
    while (this.peek().typ !== T.EOF) {
      if (this.peek().typ === T.LeftDelim) {
        const delim = this.next();
        if (this.nextNonSpace().typ === T.Define) {
          const def = new TreeParser('definition', this.parseName, this.lex, this.treeSet);
          def.parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') this.errorf(`unexpected ${nodeString(n)}`);
      this.root.nodes.push(n);
    }
    this.add();
  }

  private add(): void {
    const tree = this.treeSet.get(this.name);
    if (!tree || isEmptyTree(tree.root)) {
      this.treeSet.set(this.name, { name: this.name, root: this.root });
      return;
    }
    if (!isEmptyTree(this.root)) this.errorf(`template: multiple definition of template ${goQuote(this.name)}`);
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const name = this.nextNonSpace();
    if (name.typ !== T.String && name.typ !== T.RawString) this.unexpected(name, context);
    this.name = this.unquote(name.val);
    this.expect(T.RightDelim, context);
    const [list, end] = this.itemList();
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.root = list;
    this.add();
  }

  private itemList(): [ListNode, TreeNode] {
    const list: ListNode = { type: 'list', pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().typ !== T.EOF) {
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') return [list, n];
      list.nodes.push(n);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): TreeNode {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case T.Text:
        return { type: 'text', pos: token.pos, text: token.val };
      case T.LeftDelim: {
        this.actionLine = token.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      default:
        this.unexpected(token, 'input');
    }
  }

  private action(): TreeNode {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case T.Block:
        return this.blockControl();
      case T.Break:
        return this.breakControl(token.pos, 'break');
      case T.Continue:
        return this.breakControl(token.pos, 'continue');
      case T.Else:
        return this.elseControl();
      case T.End:
        this.expect(T.RightDelim, 'end');
        return { type: 'end', pos: token.pos };
      case T.If:
        return { type: 'if', ...this.parseControl('if') };
      case T.Range:
        return { type: 'range', ...this.parseControl('range') };
      case T.Template:
        return this.templateControl();
      case T.With:
        return { type: 'with', ...this.parseControl('with') };
    }
    this.backup();
    const t = this.peek();
    return { type: 'action', pos: t.pos, pipe: this.pipeline('command', T.RightDelim) };
  }

  private breakControl(pos: number, kind: 'break' | 'continue'): TreeNode {
    const token = this.nextNonSpace();
    if (token.typ !== T.RightDelim) this.unexpected(token, `{{${kind}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${kind}}} outside {{range}}`);
    return { type: kind, pos };
  }

  private pipeline(context: string, end: T): PipeNode {
    const token = this.peekNonSpace();
    const pipe: PipeNode = { type: 'pipe', pos: token.pos, isAssign: false, decl: [], cmds: [] };
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.typ !== T.Variable) break;
      this.next();
      const tokenAfterVariable = this.peek();
      const next = this.peekNonSpace();
      if (next.typ === T.Assign || next.typ === T.Declare) {
        pipe.isAssign = next.typ === T.Assign;
        this.nextNonSpace();
        pipe.decl.push({ pos: v.pos, ident: v.val.split('.') });
        this.vars.push(v.val);
      } else if (next.typ === T.Char && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push({ pos: v.pos, ident: v.val.split('.') });
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const p = this.peekNonSpace().typ;
          if (p === T.Variable || p === T.RightDelim || p === T.RightParen) continue decls;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      } else if (tokenAfterVariable.typ === T.Space) {
        this.backup3(v, tokenAfterVariable);
      } else {
        this.backup2(v);
      }
      break;
    }
    for (;;) {
      const token = this.nextNonSpace();
      if (token.typ === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (token.typ) {
        case T.Bool:
        case T.CharConstant:
        case T.Complex:
        case T.Dot:
        case T.Field:
        case T.Identifier:
        case T.Number:
        case T.Nil:
        case T.RawString:
        case T.String:
        case T.Variable:
        case T.LeftParen:
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const t = c.args[0].type;
      if (t === 'bool' || t === 'dot' || t === 'nil' || t === 'number' || t === 'string') {
        this.errorf(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  private parseControl(context: 'if' | 'range' | 'with'): BranchNode {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, T.RightDelim);
      if (context === 'range') this.rangeDepth++;
      const [list, next] = this.itemList();
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | undefined;
      if (next.type === 'else') {
        // {{else if ...}} / {{else with ...}} nest a new if/with that shares the {{end}}.
        if (context === 'if' && this.peek().typ === T.If) {
          this.next();
          elseList = { type: 'list', pos: next.pos, nodes: [{ type: 'if', ...this.parseControl('if') }] };
        } else if (context === 'with' && this.peek().typ === T.With) {
          this.next();
          elseList = { type: 'list', pos: next.pos, nodes: [{ type: 'with', ...this.parseControl('with') }] };
        } else {
          const [els, end] = this.itemList();
          if (end.type !== 'end') this.errorf(`expected end; found ${nodeString(end)}`);
          elseList = els;
        }
      }
      return { pos: pipe.pos, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  private elseControl(): TreeNode {
    const peek = this.peekNonSpace();
    if (peek.typ === T.If || peek.typ === T.With) return { type: 'else', pos: peek.pos };
    const token = this.expect(T.RightDelim, 'else');
    return { type: 'else', pos: token.pos };
  }

  private blockControl(): TreeNode {
    const context = 'block clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    const pipe = this.pipeline(context, T.RightDelim);
    const block = new TreeParser(name, this.parseName, this.lex, this.treeSet);
    const [list, end] = block.itemList();
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    block.root = list;
    block.add();
    return { type: 'template', pos: token.pos, name, pipe };
  }

  private templateControl(): TreeNode {
    const context = 'template clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().typ !== T.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, T.RightDelim);
    }
    return { type: 'template', pos: token.pos, name, pipe };
  }

  private parseTemplateName(token: Item, context: string): string {
    if (token.typ === T.String || token.typ === T.RawString) return this.unquote(token.val);
    this.unexpected(token, context);
  }

  private unquote(s: string): string {
    const v = goUnquote(s);
    if (v === undefined) this.errorf('invalid syntax');
    return v;
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const token = this.next();
      if (token.typ === T.Space) continue;
      if (token.typ === T.RightDelim || token.typ === T.RightParen) this.backup();
      else if (token.typ !== T.Pipe) this.unexpected(token, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): ArgNode | undefined {
    const node = this.term();
    if (!node) return undefined;
    if (this.peek().typ !== T.Field) return node;
    const pos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().typ === T.Field) fields.push(this.next().val.slice(1));
    const chain: ArgNode = { type: 'chain', pos, node, field: fields };
    switch (node.type) {
      case 'field':
        return { type: 'field', pos, ident: [...node.ident, ...fields] };
      case 'variable':
        return { type: 'variable', pos, ident: [...node.ident, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        this.errorf(`unexpected . after term ${goQuote(nodeString(node))}`);
    }
    return chain;
  }

  private term(): ArgNode | undefined {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case T.Identifier:
        if (!BUILTIN_NAMES.has(token.val)) this.errorf(`function ${goQuote(token.val)} not defined`);
        return { type: 'identifier', pos: token.pos, ident: token.val };
      case T.Dot:
        return { type: 'dot', pos: token.pos };
      case T.Nil:
        return { type: 'nil', pos: token.pos };
      case T.Variable: {
        const ident = token.val.split('.');
        if (!this.vars.includes(ident[0])) this.errorf(`undefined variable ${goQuote(ident[0])}`);
        return { type: 'variable', pos: token.pos, ident };
      }
      case T.Field:
        return { type: 'field', pos: token.pos, ident: token.val.slice(1).split('.') };
      case T.Bool:
        return { type: 'bool', pos: token.pos, value: token.val === 'true' };
      case T.CharConstant:
      case T.Complex:
      case T.Number: {
        const n = newNumber(token.pos, token.val, token.typ);
        if (typeof n === 'string') this.errorf(n);
        return n;
      }
      case T.LeftParen:
        return this.pipeline('parenthesized pipeline', T.RightParen);
      case T.String:
      case T.RawString:
        return { type: 'string', pos: token.pos, quoted: token.val, text: this.unquote(token.val) };
    }
    this.backup();
    return undefined;
  }
}

function isEmptyTree(n: TreeNode): boolean {
  if (n.type === 'list') return n.nodes.every(isEmptyTree);
  if (n.type === 'text') return n.text.trim() === '';
  return false;
}

// strconv.Unquote for "..." and `...` literals; undefined when malformed.
function goUnquote(s: string): string | undefined {
  if (s.length < 2) return undefined;
  const q = s[0];
  if (q !== s[s.length - 1]) return undefined;
  const body = s.slice(1, -1);
  if (q === '`') return body.includes('`') ? undefined : body.replace(/\r/g, '');
  if (q !== '"' && q !== "'") return undefined;
  let out = '';
  let i = 0;
  while (i < body.length) {
    const r = unquoteChar(body, i, q);
    if (!r) return undefined;
    out += r.text;
    i = r.next;
  }
  if (q === "'" && [...out].length !== 1) return undefined;
  return out;
}

// strconv.UnquoteChar: one (possibly escaped) character of a quoted literal.
function unquoteChar(s: string, i: number, quote: string): { text: string; value: number; next: number } | undefined {
  const c = s[i];
  if (c === quote || c === '\n') return undefined;
  if (c !== '\\') {
    const cp = s.codePointAt(i) ?? 0;
    return { text: String.fromCodePoint(cp), value: cp, next: i + (cp > 0xffff ? 2 : 1) };
  }
  const e = s[i + 1];
  if (e === undefined) return undefined;
  const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };
  if (e in simple) return { text: simple[e], value: simple[e].charCodeAt(0), next: i + 2 };
  if (e === 'x' || e === 'u' || e === 'U') {
    const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
    const digits = s.slice(i + 2, i + 2 + len);
    if (digits.length < len || !/^[0-9a-fA-F]+$/.test(digits)) return undefined;
    const v = parseInt(digits, 16);
    if (e !== 'x' && (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))) return undefined;
    return { text: String.fromCodePoint(v), value: v, next: i + 2 + len };
  }
  if (e >= '0' && e <= '7') {
    const digits = s.slice(i + 1, i + 4);
    if (!/^[0-7]{3}$/.test(digits)) return undefined;
    const v = parseInt(digits, 8);
    if (v > 255) return undefined;
    return { text: String.fromCharCode(v), value: v, next: i + 4 };
  }
  if ((e === "'" || e === '"') && e === quote) return { text: e, value: e.charCodeAt(0), next: i + 2 };
  return undefined;
}

// parse.newNumber: what a numeric literal can stand for; a string is an error.
function newNumber(pos: number, text: string, typ: T): NumberNode | string {
  const n: NumberNode = { type: 'number', pos, text, isInt: false, isUint: false, isFloat: false, isComplex: false, int: 0, float: 0 };
  if (typ === T.CharConstant) {
    const r = unquoteChar(text, 1, "'");
    if (!r) return 'invalid syntax';
    if (text.slice(r.next) !== "'") return `malformed character constant: ${text}`;
    return { ...n, isInt: true, isUint: true, isFloat: true, int: r.value, float: r.value };
  }
  if (typ === T.Complex || text.endsWith('i')) return `complex numbers are not supported: ${goQuote(text)}`;
  const int = parseGoInt(text);
  if (int !== undefined && (Math.abs(int) < 2 ** 63 || (int >= 0 && int < 2 ** 64))) {
    n.isInt = Math.abs(int) < 2 ** 63;
    n.isUint = int >= 0 && int < 2 ** 64;
    n.int = int;
    n.isFloat = true;
    n.float = int;
    return n;
  }
  const f = parseGoFloat(text);
  if (f !== undefined) {
    if (!/[.eEpP]/.test(text)) return `integer overflow: ${goQuote(text)}`;
    n.isFloat = true;
    n.float = f;
    if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) {
      n.isInt = true;
      n.int = f;
    }
    if (Number.isInteger(f) && f >= 0 && f < 2 ** 64) n.isUint = true;
    return n;
  }
  return `illegal number syntax: ${goQuote(text)}`;
}

// strconv.ParseInt(s, 0, 64) accepted forms (sign, 0x/0o/0b/0 prefixes, underscores).
function parseGoInt(text: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(text);
  if (!m) return undefined;
  let body = m[2];
  if (body.includes('_')) {
    // Underscores only between digits (after a base prefix).
    if (!/^(0[xXoObB]?)?(_?[0-9a-fA-F]+)*$/.test(body) || body.endsWith('_')) return undefined;
    body = body.replace(/_/g, '');
  }
  let v: number;
  if (/^0[xX]/.test(body)) v = parseInt(body.slice(2), 16);
  else if (/^0[oO]/.test(body)) v = parseInt(body.slice(2), 8);
  else if (/^0[bB]/.test(body)) v = parseInt(body.slice(2), 2);
  else if (body.length > 1 && body[0] === '0') v = parseInt(body.slice(1), 8);
  else v = parseInt(body, 10);
  if (Number.isNaN(v)) return undefined;
  return m[1] === '-' ? -v : v;
}

function parseGoFloat(text: string): number | undefined {
  if (!/^[+-]?(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][+-]?\d+)?$/.test(text)) return undefined;
  // Integers too large for int64 parse as floats too (then rejected as overflow).
  return Number(text.replace(/_/g, ''));
}

// Parses a template as text/template.New("output").Parse does.
export function parseGoTemplate(text: string, name = 'output'): Map<string, Tree> {
  const treeSet = new Map<string, Tree>();
  new TreeParser(name, name, new Lexer(text), treeSet).parse();
  return treeSet;
}

// ---------------------------------------------------------------------------
// Execution (text/template/exec.go, funcs.go)

// A reflect.Value: `v` undefined is the invalid (zero) Value; `iface` marks a
// value whose static type is interface{} (map values, slice elements,
// function results), which changes type names in errors and nil handling.
interface RV {
  v: GoValue | undefined;
  iface: boolean;
}

const INVALID: RV = { v: undefined, iface: false };
const MISSING: RV = { v: undefined, iface: false };

function concrete(v: GoValue | undefined): RV {
  return v === undefined ? INVALID : { v, iface: false };
}

function staticType(rv: RV): string {
  return rv.iface ? 'interface {}' : goTypeName(rv.v as GoValue);
}

// reflect.ValueOf(v.Interface()) for an interface{} value.
function indirectInterface(rv: RV): RV {
  if (!rv.iface) return rv;
  return rv.v === null || rv.v === undefined ? INVALID : { v: rv.v, iface: false };
}

// isTrue over the concrete value; ok=false for types without a truth value.
function isTrue(rv: RV): boolean {
  const v = rv.v;
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' || Array.isArray(v)) return v.length > 0;
  if (v instanceof Map) return v.size > 0;
  return v.value !== 0;
}

// An error raised while executing; the message is text/template's.
export class GoTemplateExecError extends Error {}

class BreakSignal {}
class ContinueSignal {}

class FuncError extends Error {}

type ParamKind = 'value' | 'any' | 'string';

interface Builtin {
  params: ParamKind[];
  variadic?: ParamKind;
  // argNodes: the argument nodes as written (call names its callee by them).
  fn: (args: RV[], argNodes: ArgNode[]) => RV;
}

function anyOf(rv: RV): GoValue {
  return rv.v === undefined ? null : rv.v;
}

function str(s: string): RV {
  return { v: s, iface: false };
}

function bool(b: boolean): RV {
  return { v: b, iface: false };
}

type Kind = 'invalid' | 'bool' | 'int' | 'uint' | 'float' | 'string' | 'other';

function basicKind(rv: RV): Kind {
  const v = rv.v;
  if (v === undefined) return 'invalid';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (v instanceof GoInt) return v.type === 'uint8' ? 'uint' : 'int';
  if (v instanceof GoFloat) return 'float';
  return 'other';
}

const ERR_BAD_COMPARISON_TYPE = 'invalid type for comparison';
const ERR_BAD_COMPARISON = 'incompatible types for comparison';

function num(rv: RV): number {
  return (rv.v as GoInt | GoFloat).value;
}

function eq(args: RV[]): RV {
  const a1 = indirectInterface(args[0]);
  if (args.length < 2) throw new FuncError('missing argument for comparison');
  const k1 = basicKind(a1);
  for (const raw of args.slice(1)) {
    const a = indirectInterface(raw);
    const k2 = basicKind(a);
    let truth = false;
    if (k1 !== k2) {
      if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')) truth = num(a1) === num(a);
      else if (a1.v !== undefined && a.v !== undefined) throw new FuncError(ERR_BAD_COMPARISON);
    } else if (k1 === 'int' || k1 === 'uint' || k1 === 'float') {
      truth = num(a1) === num(a);
    } else if (k1 === 'bool' || k1 === 'string') {
      truth = a1.v === a.v;
    } else if (k1 === 'invalid' && a1.v === undefined) {
      truth = a.v === undefined;
    } else if (a.v === undefined) {
      truth = false;
    } else {
      // Maps and slices are not comparable in Go; kinds that differ fail first.
      const t1 = goTypeName(a1.v as GoValue);
      const t2 = goTypeName(a.v);
      if (t1 !== t2) throw new FuncError(`non-comparable types ${fmtValue(a1.v, 's', NO_FLAGS)}: ${t1}, ${t2}: ${goSprint(a.v)}`);
      throw new FuncError(`non-comparable type ${fmtValue(a.v, 's', NO_FLAGS)}: ${t2}`);
    }
    if (truth) return bool(true);
  }
  return bool(false);
}

function lt(args: RV[]): RV {
  const a1 = indirectInterface(args[0]);
  const a2 = indirectInterface(args[1]);
  const k1 = basicKind(a1);
  const k2 = basicKind(a2);
  if (k1 === 'invalid' || k1 === 'other' || k2 === 'invalid' || k2 === 'other') throw new FuncError(ERR_BAD_COMPARISON_TYPE);
  if (k1 !== k2) {
    if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')) return bool(num(a1) < num(a2));
    throw new FuncError(ERR_BAD_COMPARISON);
  }
  if (k1 === 'bool') throw new FuncError(ERR_BAD_COMPARISON_TYPE);
  if (k1 === 'string') return bool(compareGoStrings(a1.v as string, a2.v as string) < 0);
  return bool(num(a1) < num(a2));
}

function le(args: RV[]): RV {
  if (lt(args).v) return bool(true);
  return eq(args);
}

function indexArg(index: RV, cap: number): number {
  const v = index.v;
  if (v === undefined) throw new FuncError('cannot index slice/array with nil');
  if (!(v instanceof GoInt)) throw new FuncError(`cannot index slice/array with type ${goTypeName(v)}`);
  if (v.value < 0 || v.value > cap) throw new FuncError(`index out of range: ${v.value}`);
  return v.value;
}

// Elements of a Go value as indexing sees them.
function elementAt(item: GoValue, i: number): RV {
  if (typeof item === 'string') return { v: new GoInt(utf8Bytes(item)[i], 'uint8'), iface: false };
  return { v: (item as GoValue[])[i], iface: true };
}

function lengthOf(item: GoValue): number {
  return typeof item === 'string' ? utf8Bytes(item).length : (item as GoValue[]).length;
}

function index(args: RV[]): RV {
  let item = indirectInterface(args[0]);
  if (item.v === undefined) throw new FuncError('index of untyped nil');
  for (const raw of args.slice(1)) {
    const idx = indirectInterface(raw);
    if (item.iface && item.v === null) throw new FuncError('index of nil pointer');
    const v = item.v as GoValue;
    if (typeof v === 'string' || Array.isArray(v)) {
      const x = indexArg(idx, lengthOf(v));
      if (x === lengthOf(v)) throw new FuncError(`index out of range: ${x}`);
      item = elementAt(v, x);
    } else if (v instanceof Map) {
      if (idx.v === undefined) throw new FuncError('value is nil; should be of type string');
      if (typeof idx.v !== 'string') throw new FuncError(`value has type ${goTypeName(idx.v)}; should be string`);
      item = v.has(idx.v) ? { v: v.get(idx.v) ?? null, iface: true } : { v: null, iface: true };
    } else {
      throw new FuncError(`can't index item of type ${goTypeName(v)}`);
    }
  }
  return item;
}

function slice(args: RV[]): RV {
  const item = indirectInterface(args[0]);
  if (item.v === undefined) throw new FuncError('slice of untyped nil');
  const idx = args.slice(1);
  if (idx.length > 3) throw new FuncError(`too many slice indexes: ${idx.length}`);
  const v = item.v;
  let cap: number;
  if (typeof v === 'string') {
    if (idx.length === 3) throw new FuncError('cannot 3-index slice a string');
    cap = utf8Bytes(v).length;
  } else if (Array.isArray(v)) {
    cap = v.length;
  } else {
    throw new FuncError(`can't slice item of type ${goTypeName(v as GoValue)}`);
  }
  const bounds = [0, cap];
  idx.forEach((x, i) => {
    bounds[i] = indexArg(indirectInterface(x), cap);
  });
  if (bounds[0] > bounds[1]) throw new FuncError(`invalid slice index: ${bounds[0]} > ${bounds[1]}`);
  if (idx.length === 3 && bounds[1] > (bounds[2] ?? cap)) throw new FuncError(`invalid slice index: ${bounds[1]} > ${bounds[2]}`);
  if (typeof v === 'string') return { v: Buffer.from(utf8Bytes(v).slice(bounds[0], bounds[1])).toString('utf8'), iface: false };
  return { v: (v as GoValue[]).slice(bounds[0], bounds[1]), iface: false };
}

function length(args: RV[]): RV {
  const item = args[0];
  if (item.iface && item.v === null) throw new FuncError('len of nil pointer');
  const v = item.v;
  if (v === undefined) throw new FuncError('reflect: call of reflect.Value.Type on zero Value');
  if (typeof v === 'string' || Array.isArray(v)) return { v: new GoInt(lengthOf(v), 'int'), iface: false };
  if (v instanceof Map) return { v: new GoInt(v.size, 'int'), iface: false };
  throw new FuncError(`len of type ${goTypeName(v as GoValue)}`);
}

// evalArgs: the text of html/js/urlquery's arguments.
function evalArgs(args: RV[]): string {
  if (args.length === 1 && typeof args[0].v === 'string') return args[0].v;
  return goSprintValues(args.map((a) => (a.v === undefined || a.v === null ? '<no value>' : a.v)));
}

function htmlEscape(s: string): string {
  return s.replace(/["'&<>]/g, (c) => ({ '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] ?? c);
}

function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    const special: Record<string, string> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '<': '\\u003C', '>': '\\u003E', '&': '\\u0026', '=': '\\u003D' };
    if (ch in special) out += special[ch];
    else if (cp < 0x20) out += `\\u00${cp.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (cp < 0x80 || /[\p{L}\p{M}\p{N}\p{P}\p{S}\u0020]/u.test(ch)) out += ch;
    else out += `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

// url.QueryEscape.
function queryEscape(s: string): string {
  let out = '';
  for (const b of utf8Bytes(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

// base64.StdEncoding.DecodeString, with its error offsets.
function base64Decode(src: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const bytes: number[] = [];
  let si = 0;
  const corrupt = (at: number): never => {
    throw new FuncError(`base64 decode failed: illegal base64 data at input byte ${at}`);
  };
  while (si < src.length) {
    const dbuf: number[] = [];
    let dlen = 4;
    let j = 0;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Buffer.from(bytes).toString('utf8');
        corrupt(si - j);
      }
      const ch = src[si++];
      const d = alphabet.indexOf(ch);
      if (d >= 0) {
        dbuf[j] = d;
        continue;
      }
      if (ch === '\n' || ch === '\r') {
        j--;
        continue;
      }
      if (ch !== '=') corrupt(si - 1);
      if (j === 0 || j === 1) corrupt(si - 1);
      if (j === 2) {
        while (si < src.length && (src[si] === '\n' || src[si] === '\r')) si++;
        if (si === src.length) corrupt(src.length);
        if (src[si] !== '=') corrupt(si - 1);
        si++;
      }
      while (si < src.length && (src[si] === '\n' || src[si] === '\r')) si++;
      if (si < src.length) corrupt(si);
      dlen = j;
      break;
    }
    const val = ((dbuf[0] ?? 0) << 18) | ((dbuf[1] ?? 0) << 12) | ((dbuf[2] ?? 0) << 6) | (dbuf[3] ?? 0);
    const out = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    bytes.push(...out.slice(0, dlen - 1));
    if (dlen < 4) break;
  }
  return Buffer.from(bytes).toString('utf8');
}

// kubectl's exists: whether `index item indices...` would succeed. A nil item
// is reflect's invalid value, which exists without indices.
function exists(args: RV[]): RV {
  if (args.length === 1) return bool(true);
  let v: GoValue | undefined = anyOf(args[0]);
  for (const raw of args.slice(1)) {
    const i = anyOf(raw);
    if (v === null || v === undefined) return bool(false);
    if (typeof v === 'string' || Array.isArray(v)) {
      if (!(i instanceof GoInt)) return bool(false);
      if (i.value < 0 || i.value >= lengthOf(v)) return bool(false);
      v = elementAt(v, i.value).v;
    } else if (v instanceof Map) {
      if (typeof i !== 'string') return bool(false);
      v = v.has(i) ? v.get(i) : null;
    } else {
      return bool(false);
    }
  }
  return bool(v !== null && v !== undefined);
}

const BUILTINS: Record<string, Builtin> = {
  and: { params: ['value'], variadic: 'value', fn: () => INVALID },
  or: { params: ['value'], variadic: 'value', fn: () => INVALID },
  not: { params: ['value'], fn: (a) => bool(!isTrue(indirectInterface(a[0]))) },
  call: {
    params: ['value'],
    variadic: 'value',
    // Template data holds no functions, so every call fails as Go's does.
    fn: (a, nodes) => {
      const fn = indirectInterface(a[0]);
      if (fn.v === undefined) throw new FuncError('call of nil');
      throw new FuncError(`non-function ${nodes.length > 0 ? nodeString(nodes[0]) : ''} of type ${staticType(fn)}`);
    },
  },
  html: { params: [], variadic: 'any', fn: (a) => str(htmlEscape(evalArgs(a))) },
  js: { params: [], variadic: 'any', fn: (a) => str(jsEscape(evalArgs(a))) },
  urlquery: { params: [], variadic: 'any', fn: (a) => str(queryEscape(evalArgs(a))) },
  index: { params: ['value'], variadic: 'value', fn: index },
  slice: { params: ['value'], variadic: 'value', fn: slice },
  len: { params: ['value'], fn: length },
  print: { params: [], variadic: 'any', fn: (a) => str(goSprintValues(a.map(anyOf))) },
  println: { params: [], variadic: 'any', fn: (a) => str(a.map((x) => goSprint(anyOf(x))).join(' ') + '\n') },
  printf: { params: ['string'], variadic: 'any', fn: (a) => str(goSprintf(a[0].v as string, a.slice(1).map(anyOf))) },
  eq: { params: ['value'], variadic: 'value', fn: eq },
  ne: { params: ['value', 'value'], fn: (a) => bool(!eq(a).v) },
  lt: { params: ['value', 'value'], fn: lt },
  le: { params: ['value', 'value'], fn: le },
  gt: { params: ['value', 'value'], fn: (a) => bool(!le(a).v) },
  ge: { params: ['value', 'value'], fn: (a) => bool(!lt(a).v) },
  exists: { params: ['any'], variadic: 'any', fn: exists },
  base64decode: { params: ['string'], fn: (a) => str(base64Decode(a[0].v as string)) },
};

interface Variable {
  name: string;
  value: RV;
}

// Go stops at 100000 nested template calls; the JS stack gives out long
// before, and recursion that deep is a runaway template either way.
const MAX_EXEC_DEPTH = 100000;
const MAX_JS_DEPTH = 1000;

class State {
  out = '';
  private node: AnyNode | undefined;
  private vars: Variable[];
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly parseName: string,
    private tmplName: string,
    private readonly treeSet: Map<string, Tree>,
    private readonly missingKeyError: boolean,
    dot: RV,
  ) {
    this.vars = [{ name: '$', value: dot }];
  }

  private at(n: AnyNode): void {
    this.node = n;
  }

  // ErrorContext: "output:LINE:COL" where COL counts bytes from the line start.
  private errorf(msg: string): never {
    if (!this.node) throw new GoTemplateExecError(`template: ${this.tmplName}: ${msg}`);
    const before = this.text.slice(0, this.node.pos);
    const nl = before.lastIndexOf('\n');
    const line = 1 + countNewlines(before);
    const col = Buffer.byteLength(nl < 0 ? before : before.slice(nl + 1), 'utf8');
    const context = nodeString(this.node);
    throw new GoTemplateExecError(`template: ${this.parseName}:${line}:${col}: executing ${goQuote(this.tmplName)} at <${context}>: ${msg}`);
  }

  private mark(): number {
    return this.vars.length;
  }

  private pop(mark: number): void {
    this.vars.length = mark;
  }

  private setVar(name: string, value: RV): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private setTopVar(n: number, value: RV): void {
    this.vars[this.vars.length - n].value = value;
  }

  private varValue(name: string): RV {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i].value;
    this.errorf(`undefined variable: ${name}`);
  }

  walk(dot: RV, node: TreeNode): void {
    this.at(node);
    switch (node.type) {
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
      case 'if':
      case 'with':
        return this.walkIfOrWith(node.type, dot, node);
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'range':
        return this.walkRange(dot, node);
      case 'template':
        return this.walkTemplate(dot, node);
      case 'text':
        this.out += node.text;
        return;
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  private walkIfOrWith(kind: 'if' | 'with', dot: RV, node: BranchNode): void {
    const mark = this.mark();
    try {
      const val = this.evalPipeline(dot, node.pipe);
      if (isTrue(indirectInterface(val))) this.walk(kind === 'with' ? val : dot, node.list);
      else if (node.elseList) this.walk(dot, node.elseList);
    } finally {
      this.pop(mark);
    }
  }

  private walkRange(dot: RV, r: BranchNode & { type: 'range' }): void {
    this.at(r);
    const outer = this.mark();
    try {
      let val = this.evalPipeline(dot, r.pipe);
      if (val.iface && val.v === null) val = INVALID;
      const mark = this.mark();
      const decl = r.pipe.decl;
      const oneIteration = (index: RV, elem: RV): void => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) this.setVar(decl[0].ident[0], decl.length > 1 ? index : elem);
          else this.setTopVar(1, elem);
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1].ident[0], elem);
          else this.setTopVar(2, index);
        }
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (!(e instanceof ContinueSignal)) throw e;
        } finally {
          this.pop(mark);
        }
      };
      const v = val.v;
      try {
        if (Array.isArray(v)) {
          if (v.length > 0) {
            v.forEach((e, i) => oneIteration({ v: new GoInt(i, 'int'), iface: false }, { v: e, iface: true }));
            return;
          }
        } else if (v instanceof Map) {
          if (v.size > 0) {
            for (const k of sortedKeys(v)) oneIteration(str(k), { v: v.get(k) ?? null, iface: true });
            return;
          }
        } else if (v !== undefined) {
          this.errorf(`range can't iterate over ${goSprint(v)}`);
        }
      } catch (e) {
        if (e instanceof BreakSignal) return;
        throw e;
      }
      if (r.elseList) this.walk(dot, r.elseList);
    } finally {
      this.pop(outer);
    }
  }

  private walkTemplate(dot: RV, t: { type: 'template'; pos: number; name: string; pipe: PipeNode | undefined }): void {
    this.at(t);
    const tmpl = this.treeSet.get(t.name);
    if (!tmpl) this.errorf(`template ${goQuote(t.name)} not defined`);
    if (this.depth >= MAX_JS_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    const newDot = t.pipe ? this.evalPipeline(dot, t.pipe) : INVALID;
    const saved = { vars: this.vars, name: this.tmplName };
    this.depth++;
    this.tmplName = t.name;
    this.vars = [{ name: '$', value: newDot }];
    try {
      this.walk(newDot, tmpl.root);
    } finally {
      this.depth--;
      this.vars = saved.vars;
      this.tmplName = saved.name;
    }
  }

  private evalPipeline(dot: RV, pipe: PipeNode): RV {
    this.at(pipe);
    let value = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // "If the object has type interface{}, dig down one level."
      value = indirectInterface(value);
    }
    for (const d of pipe.decl) {
      if (pipe.isAssign) this.setVar(d.ident[0], value);
      else this.vars.push({ name: d.ident[0], value });
    }
    return value;
  }

  private notAFunction(args: ArgNode[], final: RV): void {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args[0])}`);
  }

  private evalCommand(dot: RV, cmd: CommandNode, final: RV): RV {
    const first = cmd.args[0];
    switch (first.type) {
      case 'field':
        this.at(first);
        return this.evalFieldChain(dot, first.ident, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return bool(first.value);
      case 'dot':
        return dot;
      case 'nil':
        this.errorf('nil is not a command');
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return str(first.text);
    }
  }

  private idealConstant(c: NumberNode): RV {
    this.at(c);
    if (c.isFloat && !/^[+-]?0[xX]/.test(c.text) && !c.text.startsWith("'") && /[.eEpP]/.test(c.text)) {
      return { v: new GoFloat(c.float), iface: false };
    }
    if (c.isInt) return { v: new GoInt(c.int, 'int'), iface: false };
    if (c.isUint) this.errorf(`${c.text} overflows int`);
    return INVALID;
  }

  private evalChainNode(dot: RV, chain: { type: 'chain'; pos: number; node: ArgNode; field: string[] }, args: ArgNode[], final: RV): RV {
    this.at(chain);
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, 'value', chain.node);
    return this.evalFieldChain(pipe, chain.field, args, final);
  }

  private evalVariableNode(variable: { type: 'variable'; pos: number; ident: string[] }, args: ArgNode[], final: RV): RV {
    this.at(variable);
    const value = this.varValue(variable.ident[0]);
    if (variable.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(value, variable.ident.slice(1), args, final);
  }

  private evalFieldChain(receiver: RV, ident: string[], args: ArgNode[], final: RV): RV {
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) receiver = this.evalField(ident[i], [], MISSING, receiver);
    return this.evalField(ident[n - 1], args, final, receiver);
  }

  private evalField(fieldName: string, args: ArgNode[], final: RV, receiver: RV): RV {
    if (receiver.v === undefined) {
      if (this.missingKeyError) this.errorf(`nil data; no entry for key ${goQuote(fieldName)}`);
      return INVALID;
    }
    const typ = staticType(receiver);
    if (receiver.iface && receiver.v === null) this.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
    const hasArgs = args.length > 1 || final !== MISSING;
    const v = receiver.v;
    if (v instanceof Map) {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      if (!v.has(fieldName)) {
        if (this.missingKeyError) this.errorf(`map has no entry for key ${goQuote(fieldName)}`);
        return INVALID;
      }
      return { v: v.get(fieldName) ?? null, iface: true };
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${typ}`);
  }

  private evalFunction(dot: RV, node: { type: 'identifier'; pos: number; ident: string }, cmd: AnyNode, args: ArgNode[] | undefined, final: RV): RV {
    this.at(node);
    const name = node.ident;
    const fn = BUILTINS[name];
    if (!fn) this.errorf(`${goQuote(name)} is not a defined function`);
    return this.evalCall(dot, fn, cmd, name, args, final);
  }

  private evalCall(dot: RV, fn: Builtin, node: AnyNode, name: string, argNodes: ArgNode[] | undefined, final: RV): RV {
    const args = argNodes ? argNodes.slice(1) : [];
    const numParams = fn.params.length + (fn.variadic ? 1 : 0);
    let numIn = args.length;
    if (final !== MISSING) numIn++;
    let numFixed = args.length;
    if (fn.variadic) {
      numFixed = fn.params.length;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${numFixed} got ${args.length}`);
    } else if (numIn !== numParams) {
      this.errorf(`wrong number of args for ${name}: want ${numParams} got ${numIn}`);
    }

    if (name === 'and' || name === 'or') {
      // and/or evaluate their arguments lazily and return the deciding one.
      let v = INVALID;
      for (const arg of args) {
        v = this.evalArg(dot, 'value', arg);
        if (isTrue(indirectInterface(v)) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = this.validateType(final, 'value');
      return v;
    }

    const argv: RV[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv.push(this.evalArg(dot, fn.params[i], args[i]));
    if (fn.variadic) for (; i < args.length; i++) argv.push(this.evalArg(dot, fn.variadic, args[i]));
    if (final !== MISSING) {
      let t: ParamKind = fn.variadic ?? fn.params[fn.params.length - 1];
      if (fn.variadic && numIn - 1 < numFixed) t = fn.params[numIn - 1];
      else if (!fn.variadic) t = fn.params[numParams - 1];
      argv.push(this.validateType(final, t));
    }
    try {
      return fn.fn(argv, args);
    } catch (e) {
      if (!(e instanceof FuncError)) throw e;
      this.at(node);
      this.errorf(`error calling ${name}: ${e.message}`);
    }
  }

  private validateType(value: RV, typ: ParamKind): RV {
    if (value.v === undefined) {
      if (typ === 'value') return INVALID;
      if (typ === 'any') return { v: null, iface: true };
      this.errorf(`invalid value; expected ${typ}`);
    }
    if (typ === 'string') {
      if (typeof value.v === 'string') return { v: value.v, iface: false };
      const got = value.iface && value.v !== null ? goTypeName(value.v) : staticType(value);
      this.errorf(`wrong type for value; expected string; got ${got}`);
    }
    return value;
  }

  private evalArg(dot: RV, typ: ParamKind, n: ArgNode): RV {
    this.at(n);
    switch (n.type) {
      case 'dot':
        return this.validateType(dot, typ);
      case 'nil':
        if (typ === 'string') this.errorf('cannot assign nil to string');
        return typ === 'any' ? { v: null, iface: true } : INVALID;
      case 'field':
        this.at(n);
        return this.validateType(this.evalFieldChain(dot, n.ident, [n], MISSING), typ);
      case 'variable':
        return this.validateType(this.evalVariableNode(n, [], MISSING), typ);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier':
        return this.validateType(this.evalFunction(dot, n, n, undefined, MISSING), typ);
      case 'chain':
        return this.validateType(this.evalChainNode(dot, n, [], MISSING), typ);
    }
    if (typ === 'string') {
      if (n.type === 'string') return str(n.text);
      this.errorf(`expected string; found ${nodeString(n)}`);
    }
    // interface{} and reflect.Value parameters take literals as untyped constants.
    switch (n.type) {
      case 'bool':
        return bool(n.value);
      case 'number':
        return this.idealConstant(n);
      case 'string':
        return str(n.text);
    }
  }

  private printValue(n: AnyNode, v: RV): void {
    this.at(n);
    if (v.v === undefined) {
      this.out += '<no value>';
      return;
    }
    this.out += goSprint(v.v);
  }
}

// ---------------------------------------------------------------------------
// fmt: Sprint and Sprintf over Go values

// fmt.Sprint: spaces between operands when neither side is a string.
export function goSprintValues(args: GoValue[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += goSprint(a);
  });
  return out;
}

interface FmtFlags {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  prec?: number;
}

const NO_FLAGS: FmtFlags = { minus: false, plus: false, sharp: false, space: false, zero: false };

function pad(s: string, f: FmtFlags, numeric = false): string {
  const w = f.width ?? 0;
  const len = [...s].length;
  if (len >= w) return s;
  if (f.minus) return s + ' '.repeat(w - len);
  if (f.zero && numeric) {
    const sign = /^[+-]/.test(s) ? s[0] : '';
    return sign + '0'.repeat(w - len) + s.slice(sign.length);
  }
  return ' '.repeat(w - len) + s;
}

function badVerb(verb: string, arg: GoValue | undefined): string {
  if (arg === null || arg === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(arg)}=${goSprint(arg)})`;
}

function fmtInteger(n: number, verb: string, f: FmtFlags): string {
  const neg = n < 0;
  const abs = Math.abs(n);
  let digits: string;
  switch (verb) {
    case 'b':
      digits = abs.toString(2);
      break;
    case 'o':
      digits = abs.toString(8);
      break;
    case 'O':
      digits = '0o' + abs.toString(8);
      break;
    case 'x':
      digits = abs.toString(16);
      break;
    case 'X':
      digits = abs.toString(16).toUpperCase();
      break;
    default:
      digits = String(abs);
  }
  if (f.prec !== undefined) digits = digits.padStart(f.prec, '0');
  if (f.sharp && (verb === 'x' || verb === 'X')) digits = (verb === 'x' ? '0x' : '0X') + digits;
  if (f.sharp && verb === 'o') digits = '0' + digits;
  const sign = neg ? '-' : f.plus ? '+' : f.space ? ' ' : '';
  return pad(sign + digits, { ...f, zero: f.zero && f.prec === undefined }, true);
}

function fmtFloat(x: number, verb: string, f: FmtFlags): string {
  let s: string;
  const prec = f.prec;
  switch (verb) {
    case 'e':
    case 'E': {
      s = goExp(x.toExponential(prec ?? 6));
      break;
    }
    case 'f':
    case 'F':
      s = x.toFixed(prec ?? 6);
      break;
    case 'g':
    case 'G':
      s = prec === undefined ? formatGoFloat(x) : formatGoFloat(Number(x.toPrecision(prec === 0 ? 1 : prec)));
      break;
    default:
      s = formatGoFloat(x);
  }
  if (verb === 'E' || verb === 'G') s = s.toUpperCase();
  if (f.plus && x >= 0) s = '+' + s;
  else if (f.space && x >= 0) s = ' ' + s;
  return pad(s, f, true);
}

// JavaScript's exponent ("e+6") in Go's form ("e+06").
function goExp(s: string): string {
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

function fmtValue(arg: GoValue | undefined, verb: string, f: FmtFlags, depth = 0): string {
  if (arg === null || arg === undefined) {
    if (depth > 0 || verb === 'v' || verb === 'T') return pad('<nil>', f);
    return badVerb(verb, arg);
  }
  if (verb === 'T') return pad(goTypeName(arg), f);
  if (verb === 'v' && f.sharp) return pad(goSyntax(arg), f);
  if (typeof arg === 'boolean') {
    if (verb === 'v' || verb === 't') return pad(arg ? 'true' : 'false', f);
    return badVerb(verb, arg);
  }
  if (arg instanceof GoInt) {
    switch (verb) {
      case 'v':
      case 'd':
      case 'b':
      case 'o':
      case 'O':
      case 'x':
      case 'X':
        return fmtInteger(arg.value, verb, f);
      case 'c':
        return pad(String.fromCodePoint(arg.value), f);
      case 'q':
        return pad(`'${String.fromCodePoint(arg.value)}'`, f);
      case 'U':
        return pad(`U+${arg.value.toString(16).toUpperCase().padStart(4, '0')}`, f);
    }
    return badVerb(verb, arg);
  }
  if (arg instanceof GoFloat) {
    if ('veEfFgG'.includes(verb)) return fmtFloat(arg.value, verb, f);
    return badVerb(verb, arg);
  }
  if (typeof arg === 'string') {
    let s = arg;
    if (f.prec !== undefined) s = [...s].slice(0, f.prec).join('');
    switch (verb) {
      case 'v':
      case 's':
        return pad(s, f);
      case 'q':
        return pad(goQuote(s), f);
      case 'x':
      case 'X': {
        const h = utf8Bytes(s)
          .map((b) => b.toString(16).padStart(2, '0'))
          .join(f.space ? ' ' : '');
        return pad(verb === 'X' ? h.toUpperCase() : h, f);
      }
    }
    return badVerb(verb, arg);
  }
  if (Array.isArray(arg)) {
    return `[${arg.map((x) => fmtValue(x, verb, { ...f, width: undefined }, depth + 1)).join(' ')}]`;
  }
  return `map[${sortedKeys(arg)
    .map((k) => `${fmtValue(k, verb, { ...f, width: undefined }, depth + 1)}:${fmtValue(arg.get(k) ?? null, verb, { ...f, width: undefined }, depth + 1)}`)
    .join(' ')}]`;
}

// fmt.Sprintf over Go values: the common verbs, flags, width and precision.
export function goSprintf(format: string, args: GoValue[]): string {
  let out = '';
  let argNum = 0;
  let i = 0;
  while (i < format.length) {
    const c = format[i];
    if (c !== '%') {
      out += c;
      i++;
      continue;
    }
    i++;
    const f: FmtFlags = { minus: false, plus: false, sharp: false, space: false, zero: false };
    for (; i < format.length; i++) {
      const ch = format[i];
      if (ch === '-') f.minus = true;
      else if (ch === '+') f.plus = true;
      else if (ch === '#') f.sharp = true;
      else if (ch === ' ') f.space = true;
      else if (ch === '0') f.zero = !f.minus;
      else break;
    }
    const readNum = (): number | undefined => {
      if (format[i] === '*') {
        i++;
        const a = args[argNum++];
        return a instanceof GoInt ? a.value : undefined;
      }
      const m = /^\d+/.exec(format.slice(i));
      if (!m) return undefined;
      i += m[0].length;
      return Number(m[0]);
    };
    f.width = readNum();
    if (format[i] === '.') {
      i++;
      f.prec = readNum() ?? 0;
    }
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) ?? 0);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const arg = args[argNum++];
    if (verb === 'v' && f.plus) f.plus = false;
    out += fmtValue(arg, verb, f);
  }
  if (argNum < args.length) {
    out += `%!(EXTRA ${args
      .slice(argNum)
      .map((a) => (a === null ? '<nil>' : `${goTypeName(a)}=${goSprint(a)}`))
      .join(', ')})`;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Public API

// kubectl decodes the object for go-template with integral numbers as
// int64 whether it was typed or not, so there is no number-decoding option.
export interface GoTemplateOptions {
  // --allow-missing-template-keys (default true); false is missingkey=error.
  allowMissingKeys?: boolean;
  // Key order of the "raw data was" JSON in kubectl's error report: sorted
  // for objects read from a server (unstructured, the default), insertion
  // order for a typed object (e.g. `create --dry-run=client`), whose JSON
  // follows Go struct field order.
  rawDataKeyOrder?: 'sorted' | 'insertion';
}

// An execution error as kubectl reports it. `stdout` is what kubectl wrote
// to stdout first (the partial output, then its debugging report); the
// message goes to stderr as "error: " + message + "\n"; exit code 1.
export class GoTemplateError extends KubectlTemplateError {
  constructor(
    message: string,
    readonly stdout: string,
  ) {
    super(message);
  }
}

export interface CompiledGoTemplate {
  readonly source: string;
  readonly trees: Map<string, Tree>;
}

// Parses as kubectl does when building the printer; throws
// KubectlTemplateError ("error parsing template TEXT, template: output:1: ...").
export function compileGoTemplate(template: string): CompiledGoTemplate {
  if (template.length === 0) throw new KubectlTemplateError('template format specified but no template given');
  try {
    return { source: template, trees: parseGoTemplate(template) };
  } catch (e) {
    if (e instanceof GoTemplateParseError) throw new KubectlTemplateError(`error parsing template ${template}, ${e.message}`);
    throw e;
  }
}

// Runs a parsed template over Go data; returns the output, or throws
// GoTemplateExecError after writing the partial output to `partial.out`.
export function runGoTemplate(tmpl: CompiledGoTemplate, data: GoValue, missingKeyError: boolean, partial: { out: string } = { out: '' }): string {
  const root = tmpl.trees.get('output');
  const state = new State(tmpl.source, 'output', 'output', tmpl.trees, missingKeyError, concrete(data));
  try {
    if (root) state.walk(concrete(data), root.root);
    return state.out;
  } finally {
    partial.out = state.out;
  }
}

// What kubectl prints for one object (or List) with -o go-template
// (GoTemplatePrinter.PrintObj). `object` is plain JSON.
export function executeGoTemplate(template: string | CompiledGoTemplate, object: unknown, opts: GoTemplateOptions = {}): string {
  const tmpl = typeof template === 'string' ? compileGoTemplate(template) : template;
  const data = toGo(object);
  const partial = { out: '' };
  try {
    return runGoTemplate(tmpl, data, opts.allowMissingKeys === false, partial);
  } catch (e) {
    if (!(e instanceof GoTemplateExecError)) throw e;
    const raw = goJson(data, { sortKeys: opts.rawDataKeyOrder !== 'insertion' });
    const stdout =
      partial.out +
      `Error executing template: ${e.message}. Printing more information for debugging the template:\n` +
      `\ttemplate was:\n\t\t${tmpl.source}\n` +
      `\traw data was:\n\t\t${raw}\n` +
      `\tobject given to template engine was:\n\t\t${goSprint(data)}\n\n`;
    throw new GoTemplateError(`error executing template ${goQuote(tmpl.source)}: ${e.message}`, stdout);
  }
}
