// Manifests read the way kubectl 1.32 reads them, so that bad input fails with
// kubectl's words and good input yields kubectl's values.
//
// kubectl splits a YAML stream into documents itself (apimachinery's
// YAMLReader: lines starting with `---`), then converts each document with
// sigs.k8s.io/yaml, which runs go-yaml v2 (a port of libyaml) and turns the
// result into JSON. Its errors read `error converting YAML to JSON: yaml: line
// N: <problem>`, where N follows libyaml's marks: 0-based for parser errors,
// 1-based for scanner errors, and left out when it would be 0. The `yaml` npm
// package finds the same mistakes at other places and in other words, so this
// file is a reader, scanner, parser, composer and decoder that behave like
// go-yaml v2's (written from its algorithm, not translated): the error a user
// sees is the one kubectl prints, line number included, and values resolve by
// YAML 1.1 rules (`yes` is true, `0777` is octal, timestamps stay strings), as
// they do for kubectl. JSON manifests go through Go's encoding/json scanner,
// whose messages (`json: offset 36: invalid character ',' ...`) are here too.

export class ManifestSyntaxError extends Error {}

// ---------------------------------------------------------------------------
// Document splitting (apimachinery util/yaml YAMLReader + LineReader)

// Lines are read with bufio's ReadLine, which drops `\n` or `\r\n`, and given
// back a `\n`. A line starting with `---` ends a non-empty document; anything but
// spaces or a comment after the dashes is an error, met when the reader gets
// there (documents before it have been handled by then).
export function* splitYamlDocuments(text: string): Generator<string> {
  let buf = '';
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    const last = end < 0;
    if (last) end = text.length;
    let line = text.slice(start, end);
    start = end + 1;
    if (!last && line.endsWith('\r')) line = line.slice(0, -1);
    if (line.startsWith('---')) {
      const rest = goTrimSpace(line.slice(3));
      if (rest.length > 0 && rest[0] !== '#') throw new ManifestSyntaxError(`invalid Yaml document separator: ${rest}`);
      if (buf.length > 0) {
        yield buf;
        buf = '';
        continue;
      }
      // A separator that starts a document stays in it (go-yaml sees `---`).
    }
    buf += `${line}\n`;
  }
  if (buf.length > 0) yield buf;
}

// Go's unicode.IsSpace, for strings.TrimSpace and bytes.TrimLeftFunc.
function isGoSpace(c: number): boolean {
  return (c >= 9 && c <= 13) || c === 32 || c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

function goTrimSpace(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isGoSpace(s.charCodeAt(a))) a++;
  while (b > a && isGoSpace(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

// GuessJSONStream: a stream is JSON when its first 4096 bytes, leading spaces
// trimmed, start with `{`.
export function looksLikeJson(text: string): boolean {
  let i = 0;
  let bytes = 0;
  while (i < text.length && bytes < 4096 && isGoSpace(text.charCodeAt(i))) {
    bytes += utf8Len(text.charCodeAt(i));
    i++;
  }
  return bytes < 4096 && text[i] === '{';
}

function utf8Len(c: number): number {
  if (c < 0x80) return 1;
  if (c < 0x800) return 2;
  if (c >= 0xd800 && c <= 0xdbff) return 4; // a surrogate pair: 4 bytes for both halves
  if (c >= 0xdc00 && c <= 0xdfff) return 0;
  return 3;
}

// ---------------------------------------------------------------------------
// Scanner

interface Mark {
  index: number; // in characters (runes), as libyaml counts
  line: number;
  column: number;
}

const enum Tok {
  StreamStart,
  StreamEnd,
  VersionDirective,
  TagDirective,
  DocumentStart,
  DocumentEnd,
  BlockSequenceStart,
  BlockMappingStart,
  BlockEnd,
  FlowSequenceStart,
  FlowSequenceEnd,
  FlowMappingStart,
  FlowMappingEnd,
  BlockEntry,
  FlowEntry,
  Key,
  Value,
  Alias,
  Anchor,
  Tag,
  Scalar,
}

const enum Style {
  Plain,
  Single,
  Double,
  Literal,
  Folded,
}

interface Token {
  type: Tok;
  start: Mark;
  end: Mark;
  value: string; // scalar text, anchor/alias name, tag handle, directive handle
  suffix: string; // tag suffix, %TAG prefix
  style: Style;
  major: number;
  minor: number;
}

interface SimpleKey {
  possible: boolean;
  required: boolean;
  tokenNumber: number;
  mark: Mark;
}

// A libyaml error: where it was found decides the line kubectl prints.
class YamlFail extends Error {
  constructor(
    readonly stage: 'reader' | 'scanner' | 'parser',
    readonly problem: string,
    readonly problemLine: number,
    readonly contextLine: number,
  ) {
    super(problem);
  }

  // go-yaml's parser.fail(): scanner errors count lines from 1, parser
  // errors from 0, and a line 0 is not shown at all.
  text(): string {
    let line = 0;
    if (this.problemLine !== 0) line = this.stage === 'scanner' ? this.problemLine + 1 : this.problemLine;
    else if (this.contextLine !== 0) line = this.contextLine;
    return line !== 0 ? `line ${line}: ${this.problem}` : this.problem;
  }
}

// Errors raised while composing or decoding (`unknown anchor`, ...): no line.
class YamlPlainFail extends Error {}

const isBlank = (c: number) => c === 32 || c === 9;
const isBreak = (c: number) => c === 10 || c === 13 || c === 0x85 || c === 0x2028 || c === 0x2029;
const isBreakZ = (c: number) => c === 0 || isBreak(c);
const isBlankZ = (c: number) => isBlank(c) || isBreakZ(c);
const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isAlpha = (c: number) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
const hexVal = (c: number) => (c <= 57 ? c - 48 : (c | 32) - 87);

// The characters libyaml's reader refuses ("control characters are not allowed").
function isAllowedChar(cp: number): boolean {
  return (
    cp === 9 ||
    cp === 10 ||
    cp === 13 ||
    (cp >= 0x20 && cp <= 0x7e) ||
    cp === 0x85 ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    cp >= 0x10000
  );
}

// ASCII characters that end a run of ordinary scalar text (see Scanner.run):
// blanks, breaks, NUL, and what each scalar style treats specially. A `:` or
// `-` may or may not matter, so runs stop there and the scanner decides.
function stopTable(chars: string): Uint8Array {
  const t = new Uint8Array(128);
  for (const c of ` \t\r\n\0${chars}`) t[c.charCodeAt(0)] = 1;
  return t;
}
const QUOTED_SINGLE_STOP = stopTable("'");
const QUOTED_DOUBLE_STOP = stopTable('"\\');
const PLAIN_BLOCK_STOP = stopTable(':');
const PLAIN_FLOW_STOP = stopTable(':,?[]{}');

const CHUNK = 512; // libyaml decodes its input 512 bytes at a time

class Scanner {
  private p = 0; // position in code units
  readonly mark: Mark = { index: 0, line: 0, column: 0 };
  private tokens: Token[] = [];
  private head = 0;
  private tokensParsed = 0;
  private tokenAvailable = false;
  private streamStartProduced = false;
  streamEndProduced = false;
  private indent = -1;
  private indents: number[] = [];
  private simpleKeyAllowed = false;
  private simpleKeys: SimpleKey[] = [];
  private simpleKeysByTok = new Map<number, number>();
  private flowLevel = 0;

  // The reader: a control character fails the whole 512-byte chunk holding it,
  // as soon as the scanner asks for any character of that chunk.
  private readonly badRune: number; // rune index of the first refused character, or -1
  private decodedRunes = 0;
  private walkUnit = 0;
  private walkRune = 0;
  private walkByte = 0;
  private chunkEnd = 0;

  constructor(private readonly s: string) {
    this.badRune = -1;
    let rune = 0;
    for (let i = 0; i < s.length; i++, rune++) {
      let cp = s.charCodeAt(i);
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < s.length) {
        const lo = s.charCodeAt(i + 1);
        if (lo >= 0xdc00 && lo <= 0xdfff) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          i++;
        }
      }
      if (!isAllowedChar(cp)) {
        this.badRune = rune;
        break;
      }
    }
  }

  // libyaml's CACHE(n): make sure n characters from here are decoded.
  private cache(n: number): void {
    if (this.badRune < 0) return;
    const need = this.mark.index + n;
    while (this.decodedRunes < need && this.walkUnit < this.s.length) {
      this.chunkEnd += CHUNK;
      // Characters that end within the chunk are decoded with it.
      while (this.walkUnit < this.s.length) {
        const c = this.s.charCodeAt(this.walkUnit);
        const pair = c >= 0xd800 && c <= 0xdbff && this.walkUnit + 1 < this.s.length;
        const len = pair ? 4 : utf8Len(c);
        if (this.walkByte + len > this.chunkEnd) break;
        this.walkByte += len;
        this.walkUnit += pair ? 2 : 1;
        this.walkRune++;
      }
      this.decodedRunes = this.walkUnit >= this.s.length ? Infinity : this.walkRune;
      if (this.badRune < this.walkRune) throw new YamlFail('reader', 'control characters are not allowed', 0, 0);
    }
  }

  // The character k code units ahead; 0 past the end, like libyaml's NUL padding.
  private ch(k = 0): number {
    const i = this.p + k;
    return i < this.s.length ? this.s.charCodeAt(i) : 0;
  }

  private copyMark(): Mark {
    return { index: this.mark.index, line: this.mark.line, column: this.mark.column };
  }

  private skip(): void {
    const c = this.ch();
    this.p += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
    this.mark.index++;
    this.mark.column++;
  }

  // Consumes a line break (CRLF counts as two characters).
  private skipLine(): void {
    const c = this.ch();
    if (c === 13 && this.ch(1) === 10) {
      this.p += 2;
      this.mark.index += 2;
      this.mark.column = 0;
      this.mark.line++;
    } else if (isBreak(c)) {
      this.p++;
      this.mark.index++;
      this.mark.column = 0;
      this.mark.line++;
    }
  }

  // Consumes at least one character and then more of those the stop table
  // lets through (all on one line, no surrogate pairs), in one slice: long
  // scalars are read in runs rather than character by character. Only used
  // when there is no refused character, so the reader needs no simulation.
  private run(stop: Uint8Array): string {
    const from = this.p;
    this.skip();
    let i = this.p;
    const s = this.s;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c < 128 ? stop[c] === 1 : c === 0x85 || c === 0x2028 || c === 0x2029 || (c >= 0xd800 && c <= 0xdfff)) break;
      i++;
    }
    const n = i - this.p;
    this.p = i;
    this.mark.index += n;
    this.mark.column += n;
    return s.slice(from, i);
  }

  private read(): string {
    const c = this.ch();
    const n = c >= 0xd800 && c <= 0xdbff ? 2 : 1;
    const out = this.s.substr(this.p, n);
    this.skip();
    return out;
  }

  // A line break as the scalar's content: CR, LF, CRLF and NEL become `\n`.
  private readLine(): string {
    const c = this.ch();
    if (c === 13 && this.ch(1) === 10) {
      this.p += 2;
      this.mark.index += 2;
    } else if (c === 13 || c === 10 || c === 0x85) {
      this.p++;
      this.mark.index++;
    } else if (c === 0x2028 || c === 0x2029) {
      this.p++;
      this.mark.index++;
      this.mark.column = 0;
      this.mark.line++;
      return String.fromCharCode(c);
    } else {
      return '';
    }
    this.mark.column = 0;
    this.mark.line++;
    return '\n';
  }

  private scanError(problem: string, context?: Mark): never {
    throw new YamlFail('scanner', problem, this.mark.line, context?.line ?? 0);
  }

  private token(type: Tok, start: Mark, end: Mark, extra: Partial<Token> = {}): Token {
    return { type, start, end, value: '', suffix: '', style: Style.Plain, major: 0, minor: 0, ...extra };
  }

  private insert(pos: number, t: Token): void {
    if (pos < 0) this.tokens.push(t);
    else this.tokens.splice(this.head + pos, 0, t);
  }

  peek(): Token {
    if (!this.tokenAvailable) this.fetchMoreTokens();
    return this.tokens[this.head];
  }

  skipToken(): void {
    const t = this.tokens[this.head];
    this.tokenAvailable = false;
    this.tokensParsed++;
    this.streamEndProduced = t.type === Tok.StreamEnd;
    this.head++;
    // Drop consumed tokens now and then, so a long document keeps a short queue.
    if (this.head > 4096 && this.head * 2 > this.tokens.length) {
      this.tokens = this.tokens.slice(this.head);
      this.head = 0;
    }
  }

  private fetchMoreTokens(): void {
    for (;;) {
      if (this.head !== this.tokens.length) {
        const idx = this.simpleKeysByTok.get(this.tokensParsed);
        if (idx === undefined) break;
        if (!this.simpleKeyIsValid(this.simpleKeys[idx])) break;
      }
      this.fetchNextToken();
    }
    this.tokenAvailable = true;
  }

  private simpleKeyIsValid(key: SimpleKey): boolean {
    if (!key.possible) return false;
    if (key.mark.line < this.mark.line || key.mark.index + 1024 < this.mark.index) {
      if (key.required) this.scanError("could not find expected ':'", key.mark);
      key.possible = false;
      return false;
    }
    return true;
  }

  private fetchNextToken(): void {
    this.cache(1);
    if (!this.streamStartProduced) return this.fetchStreamStart();
    this.scanToNextToken();
    this.unrollIndent(this.mark.column);
    this.cache(4);
    const c = this.ch();
    if (this.p >= this.s.length) return this.fetchStreamEnd();
    if (this.mark.column === 0 && c === 37 /* % */) return this.fetchDirective();
    if (this.mark.column === 0 && isBlankZ(this.ch(3))) {
      if (c === 45 && this.ch(1) === 45 && this.ch(2) === 45) return this.fetchDocumentIndicator(Tok.DocumentStart);
      if (c === 46 && this.ch(1) === 46 && this.ch(2) === 46) return this.fetchDocumentIndicator(Tok.DocumentEnd);
    }
    const next = this.ch(1);
    switch (c) {
      case 91 /* [ */:
        return this.fetchFlowCollectionStart(Tok.FlowSequenceStart);
      case 123 /* { */:
        return this.fetchFlowCollectionStart(Tok.FlowMappingStart);
      case 93 /* ] */:
        return this.fetchFlowCollectionEnd(Tok.FlowSequenceEnd);
      case 125 /* } */:
        return this.fetchFlowCollectionEnd(Tok.FlowMappingEnd);
      case 44 /* , */:
        return this.fetchFlowEntry();
    }
    if (c === 45 && isBlankZ(next)) return this.fetchBlockEntry();
    if (c === 63 /* ? */ && (this.flowLevel > 0 || isBlankZ(next))) return this.fetchKey();
    if (c === 58 /* : */ && (this.flowLevel > 0 || isBlankZ(next))) return this.fetchValue();
    if (c === 42 /* * */) return this.fetchAnchor(Tok.Alias);
    if (c === 38 /* & */) return this.fetchAnchor(Tok.Anchor);
    if (c === 33 /* ! */) return this.fetchTag();
    if (c === 124 /* | */ && this.flowLevel === 0) return this.fetchBlockScalar(true);
    if (c === 62 /* > */ && this.flowLevel === 0) return this.fetchBlockScalar(false);
    if (c === 39 /* ' */) return this.fetchFlowScalar(true);
    if (c === 34 /* " */) return this.fetchFlowScalar(false);
    const indicator = isBlankZ(c) || '-?:,[]{}#&*!|>\'"%@`'.includes(String.fromCharCode(c));
    if (!indicator || (c === 45 && !isBlank(next)) || (this.flowLevel === 0 && (c === 63 || c === 58) && !isBlankZ(next))) {
      return this.fetchPlainScalar();
    }
    this.scanError('found character that cannot start any token', this.mark);
  }

  private saveSimpleKey(): void {
    const required = this.flowLevel === 0 && this.indent === this.mark.column;
    if (!this.simpleKeyAllowed) return;
    const key: SimpleKey = {
      possible: true,
      required,
      tokenNumber: this.tokensParsed + (this.tokens.length - this.head),
      mark: this.copyMark(),
    };
    this.removeSimpleKey();
    this.simpleKeys[this.simpleKeys.length - 1] = key;
    this.simpleKeysByTok.set(key.tokenNumber, this.simpleKeys.length - 1);
  }

  private removeSimpleKey(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1];
    if (key.possible) {
      if (key.required) this.scanError("could not find expected ':'", key.mark);
      key.possible = false;
      this.simpleKeysByTok.delete(key.tokenNumber);
    }
  }

  private increaseFlowLevel(): void {
    this.simpleKeys.push({
      possible: false,
      required: false,
      tokenNumber: this.tokensParsed + (this.tokens.length - this.head),
      mark: this.copyMark(),
    });
    this.flowLevel++;
    if (this.flowLevel > 10000) {
      throw new YamlFail('scanner', 'exceeded max depth of 10000', this.mark.line, this.simpleKeys[this.simpleKeys.length - 1].mark.line);
    }
  }

  private decreaseFlowLevel(): void {
    if (this.flowLevel > 0) {
      this.flowLevel--;
      const key = this.simpleKeys.pop()!;
      this.simpleKeysByTok.delete(key.tokenNumber);
    }
  }

  private rollIndent(column: number, number: number, type: Tok, mark: Mark): void {
    if (this.flowLevel > 0) return;
    if (this.indent < column) {
      this.indents.push(this.indent);
      this.indent = column;
      if (this.indents.length > 10000) {
        throw new YamlFail('scanner', 'exceeded max depth of 10000', this.mark.line, this.simpleKeys[this.simpleKeys.length - 1].mark.line);
      }
      this.insert(number > -1 ? number - this.tokensParsed : -1, this.token(type, mark, mark));
    }
  }

  private unrollIndent(column: number): void {
    if (this.flowLevel > 0) return;
    while (this.indent > column) {
      this.insert(-1, this.token(Tok.BlockEnd, this.copyMark(), this.copyMark()));
      this.indent = this.indents.pop()!;
    }
  }

  private fetchStreamStart(): void {
    this.indent = -1;
    this.simpleKeys.push({ possible: false, required: false, tokenNumber: 0, mark: this.copyMark() });
    this.simpleKeyAllowed = true;
    this.streamStartProduced = true;
    this.insert(-1, this.token(Tok.StreamStart, this.copyMark(), this.copyMark()));
  }

  private fetchStreamEnd(): void {
    // The end of the stream is on a line of its own.
    if (this.mark.column !== 0) {
      this.mark.column = 0;
      this.mark.line++;
    }
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insert(-1, this.token(Tok.StreamEnd, this.copyMark(), this.copyMark()));
  }

  private fetchDirective(): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insert(-1, this.scanDirective());
  }

  private fetchDocumentIndicator(type: Tok): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    const start = this.copyMark();
    this.skip();
    this.skip();
    this.skip();
    this.insert(-1, this.token(type, start, this.copyMark()));
  }

  private fetchFlowCollectionStart(type: Tok): void {
    this.saveSimpleKey();
    this.increaseFlowLevel();
    this.simpleKeyAllowed = true;
    const start = this.copyMark();
    this.skip();
    this.insert(-1, this.token(type, start, this.copyMark()));
  }

  private fetchFlowCollectionEnd(type: Tok): void {
    this.removeSimpleKey();
    this.decreaseFlowLevel();
    this.simpleKeyAllowed = false;
    const start = this.copyMark();
    this.skip();
    this.insert(-1, this.token(type, start, this.copyMark()));
  }

  private fetchFlowEntry(): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    const start = this.copyMark();
    this.skip();
    this.insert(-1, this.token(Tok.FlowEntry, start, this.copyMark()));
  }

  private fetchBlockEntry(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) this.scanError('block sequence entries are not allowed in this context');
      this.rollIndent(this.mark.column, -1, Tok.BlockSequenceStart, this.copyMark());
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    const start = this.copyMark();
    this.skip();
    this.insert(-1, this.token(Tok.BlockEntry, start, this.copyMark()));
  }

  private fetchKey(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) this.scanError('mapping keys are not allowed in this context');
      this.rollIndent(this.mark.column, -1, Tok.BlockMappingStart, this.copyMark());
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = this.flowLevel === 0;
    const start = this.copyMark();
    this.skip();
    this.insert(-1, this.token(Tok.Key, start, this.copyMark()));
  }

  private fetchValue(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1];
    if (this.simpleKeyIsValid(key)) {
      // The simple key becomes a KEY token, inserted where it started.
      this.insert(key.tokenNumber - this.tokensParsed, this.token(Tok.Key, key.mark, key.mark));
      this.rollIndent(key.mark.column, key.tokenNumber, Tok.BlockMappingStart, key.mark);
      key.possible = false;
      this.simpleKeysByTok.delete(key.tokenNumber);
      this.simpleKeyAllowed = false;
    } else {
      if (this.flowLevel === 0) {
        if (!this.simpleKeyAllowed) this.scanError('mapping values are not allowed in this context');
        this.rollIndent(this.mark.column, -1, Tok.BlockMappingStart, this.copyMark());
      }
      this.simpleKeyAllowed = this.flowLevel === 0;
    }
    const start = this.copyMark();
    this.skip();
    this.insert(-1, this.token(Tok.Value, start, this.copyMark()));
  }

  private fetchAnchor(type: Tok): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insert(-1, this.scanAnchor(type));
  }

  private fetchTag(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insert(-1, this.scanTag());
  }

  private fetchBlockScalar(literal: boolean): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.insert(-1, this.scanBlockScalar(literal));
  }

  private fetchFlowScalar(single: boolean): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insert(-1, this.scanFlowScalar(single));
  }

  private fetchPlainScalar(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insert(-1, this.scanPlainScalar());
  }

  private scanToNextToken(): void {
    for (;;) {
      this.cache(1);
      // A byte order mark may start any line.
      if (this.mark.column === 0 && this.ch() === 0xfeff) this.skip();
      this.cache(1);
      while (this.ch() === 32 || ((this.flowLevel > 0 || !this.simpleKeyAllowed) && this.ch() === 9)) {
        this.skip();
        this.cache(1);
      }
      if (this.ch() === 35 /* # */) {
        while (!isBreakZ(this.ch()) || (this.ch() === 0 && this.p < this.s.length)) {
          this.skip();
          this.cache(1);
        }
      }
      if (isBreak(this.ch())) {
        this.cache(2);
        this.skipLine();
        if (this.flowLevel === 0) this.simpleKeyAllowed = true;
      } else {
        break;
      }
    }
  }

  private scanDirective(): Token {
    const start = this.copyMark();
    this.skip();
    const name = this.scanDirectiveName(start);
    let t: Token;
    if (name === 'YAML') {
      const [major, minor] = this.scanVersionDirectiveValue(start);
      t = this.token(Tok.VersionDirective, start, this.copyMark(), { major, minor });
    } else if (name === 'TAG') {
      const [handle, prefix] = this.scanTagDirectiveValue(start);
      t = this.token(Tok.TagDirective, start, this.copyMark(), { value: handle, suffix: prefix });
    } else {
      this.scanError('found unknown directive name', start);
    }
    this.cache(1);
    while (isBlank(this.ch())) {
      this.skip();
      this.cache(1);
    }
    if (this.ch() === 35) {
      while (!isBreakZ(this.ch())) {
        this.skip();
        this.cache(1);
      }
    }
    if (!isBreakZ(this.ch())) this.scanError('did not find expected comment or line break', start);
    if (isBreak(this.ch())) {
      this.cache(2);
      this.skipLine();
    }
    return t;
  }

  private scanDirectiveName(start: Mark): string {
    this.cache(1);
    let s = '';
    while (isAlpha(this.ch())) {
      s += this.read();
      this.cache(1);
    }
    if (s === '') this.scanError('could not find expected directive name', start);
    if (!isBlankZ(this.ch())) this.scanError('found unexpected non-alphabetical character', start);
    return s;
  }

  private scanVersionDirectiveValue(start: Mark): [number, number] {
    this.cache(1);
    while (isBlank(this.ch())) {
      this.skip();
      this.cache(1);
    }
    const major = this.scanVersionNumber(start);
    if (this.ch() !== 46) this.scanError("did not find expected digit or '.' character", start);
    this.skip();
    const minor = this.scanVersionNumber(start);
    return [major, minor];
  }

  private scanVersionNumber(start: Mark): number {
    this.cache(1);
    let value = 0;
    let length = 0;
    while (isDigit(this.ch())) {
      length++;
      if (length > 2) this.scanError('found extremely long version number', start);
      value = value * 10 + (this.ch() - 48);
      this.skip();
      this.cache(1);
    }
    if (length === 0) this.scanError('did not find expected version number', start);
    return value;
  }

  private scanTagDirectiveValue(start: Mark): [string, string] {
    this.cache(1);
    while (isBlank(this.ch())) {
      this.skip();
      this.cache(1);
    }
    const handle = this.scanTagHandle(true, start);
    this.cache(1);
    if (!isBlank(this.ch())) this.scanError('did not find expected whitespace', start);
    while (isBlank(this.ch())) {
      this.skip();
      this.cache(1);
    }
    const prefix = this.scanTagUri(true, '', start);
    this.cache(1);
    if (!isBlankZ(this.ch())) this.scanError('did not find expected whitespace or line break', start);
    return [handle, prefix];
  }

  private scanAnchor(type: Tok): Token {
    const start = this.copyMark();
    this.skip();
    this.cache(1);
    let s = '';
    while (isAlpha(this.ch())) {
      s += this.read();
      this.cache(1);
    }
    const end = this.copyMark();
    const c = this.ch();
    if (s === '' || !(isBlankZ(c) || '?:,]}%@`'.includes(String.fromCharCode(c)))) {
      this.scanError('did not find expected alphabetic or numeric character', start);
    }
    return this.token(type, start, end, { value: s });
  }

  private scanTag(): Token {
    const start = this.copyMark();
    this.cache(2);
    let handle = '';
    let suffix = '';
    if (this.ch(1) === 60 /* < */) {
      this.skip();
      this.skip();
      suffix = this.scanTagUri(false, '', start);
      if (this.ch() !== 62) this.scanError("did not find the expected '>'", start);
      this.skip();
    } else {
      handle = this.scanTagHandle(false, start);
      if (handle[0] === '!' && handle.length > 1 && handle.endsWith('!')) {
        suffix = this.scanTagUri(false, '', start);
      } else {
        suffix = this.scanTagUri(false, handle, start);
        handle = '!';
        // `!` alone is the non-specific tag.
        if (suffix === '') [handle, suffix] = [suffix, handle];
      }
    }
    this.cache(1);
    if (!isBlankZ(this.ch())) this.scanError('did not find expected whitespace or line break', start);
    return this.token(Tok.Tag, start, this.copyMark(), { value: handle, suffix });
  }

  private scanTagHandle(directive: boolean, start: Mark): string {
    this.cache(1);
    if (this.ch() !== 33) this.scanError("did not find expected '!'", start);
    let s = this.read();
    this.cache(1);
    while (isAlpha(this.ch())) {
      s += this.read();
      this.cache(1);
    }
    if (this.ch() === 33) s += this.read();
    else if (directive && s !== '!') this.scanError("did not find expected '!'", start);
    return s;
  }

  private scanTagUri(directive: boolean, head: string, start: Mark): string {
    let s = head.length > 1 ? head.slice(1) : '';
    let hasTag = head.length > 0;
    this.cache(1);
    for (;;) {
      const c = this.ch();
      if (!(isAlpha(c) || ";/?:@&=+$,.!~*'()[]%".includes(String.fromCharCode(c))) || c === 0) break;
      if (c === 37 /* % */) s += this.scanUriEscapes(directive, start);
      else s += this.read();
      this.cache(1);
      hasTag = true;
    }
    if (!hasTag) this.scanError('did not find expected tag URI', start);
    return s;
  }

  private scanUriEscapes(_directive: boolean, start: Mark): string {
    const bytes: number[] = [];
    let width = 1024;
    while (width > 0) {
      this.cache(3);
      if (!(this.ch() === 37 && isHex(this.ch(1)) && isHex(this.ch(2)))) this.scanError('did not find URI escaped octet', start);
      const octet = (hexVal(this.ch(1)) << 4) + hexVal(this.ch(2));
      if (width === 1024) {
        width = (octet & 0x80) === 0 ? 1 : (octet & 0xe0) === 0xc0 ? 2 : (octet & 0xf0) === 0xe0 ? 3 : (octet & 0xf8) === 0xf0 ? 4 : 0;
        if (width === 0) this.scanError('found an incorrect leading UTF-8 octet', start);
      } else if ((octet & 0xc0) !== 0x80) {
        this.scanError('found an incorrect trailing UTF-8 octet', start);
      }
      bytes.push(octet);
      this.skip();
      this.skip();
      this.skip();
      width--;
    }
    return Buffer.from(bytes).toString('utf8');
  }

  private scanBlockScalar(literal: boolean): Token {
    const start = this.copyMark();
    this.skip();
    this.cache(1);
    let chomping = 0;
    let increment = 0;
    const c0 = this.ch();
    if (c0 === 43 || c0 === 45) {
      chomping = c0 === 43 ? 1 : -1;
      this.skip();
      this.cache(1);
      if (isDigit(this.ch())) {
        if (this.ch() === 48) this.scanError('found an indentation indicator equal to 0', start);
        increment = this.ch() - 48;
        this.skip();
      }
    } else if (isDigit(c0)) {
      if (c0 === 48) this.scanError('found an indentation indicator equal to 0', start);
      increment = c0 - 48;
      this.skip();
      this.cache(1);
      const c1 = this.ch();
      if (c1 === 43 || c1 === 45) {
        chomping = c1 === 43 ? 1 : -1;
        this.skip();
      }
    }
    this.cache(1);
    while (isBlank(this.ch())) {
      this.skip();
      this.cache(1);
    }
    if (this.ch() === 35) {
      while (!isBreakZ(this.ch())) {
        this.skip();
        this.cache(1);
      }
    }
    if (!isBreakZ(this.ch())) this.scanError('did not find expected comment or line break', start);
    if (isBreak(this.ch())) {
      this.cache(2);
      this.skipLine();
    }
    let end = this.copyMark();
    let indent = 0;
    if (increment > 0) indent = this.indent >= 0 ? this.indent + increment : increment;
    let s = '';
    let leadingBreak = '';
    let trailingBreaks = '';
    const breaks = (): void => {
      end = this.copyMark();
      let maxIndent = 0;
      for (;;) {
        this.cache(1);
        while ((indent === 0 || this.mark.column < indent) && this.ch() === 32) {
          this.skip();
          this.cache(1);
        }
        if (this.mark.column > maxIndent) maxIndent = this.mark.column;
        if ((indent === 0 || this.mark.column < indent) && this.ch() === 9) {
          this.scanError('found a tab character where an indentation space is expected', start);
        }
        if (!isBreak(this.ch())) break;
        this.cache(2);
        trailingBreaks += this.readLine();
        end = this.copyMark();
      }
      if (indent === 0) {
        indent = maxIndent;
        if (indent < this.indent + 1) indent = this.indent + 1;
        if (indent < 1) indent = 1;
      }
    };
    breaks();
    this.cache(1);
    let leadingBlank = false;
    while (this.mark.column === indent && this.p < this.s.length) {
      const trailingBlank = isBlank(this.ch());
      if (!literal && !leadingBlank && !trailingBlank && leadingBreak[0] === '\n') {
        if (trailingBreaks.length === 0) s += ' ';
      } else {
        s += leadingBreak;
      }
      leadingBreak = '';
      s += trailingBreaks;
      trailingBreaks = '';
      leadingBlank = isBlank(this.ch());
      const from = this.p;
      while (!isBreakZ(this.ch()) && this.p < this.s.length) {
        this.skip();
        this.cache(1);
      }
      s += this.s.slice(from, this.p);
      this.cache(2);
      leadingBreak = this.readLine();
      breaks();
    }
    if (chomping !== -1) s += leadingBreak;
    if (chomping === 1) s += trailingBreaks;
    return this.token(Tok.Scalar, start, end, { value: s, style: literal ? Style.Literal : Style.Folded });
  }

  private atDocumentIndicator(): boolean {
    const c = this.ch();
    return (
      this.mark.column === 0 &&
      ((c === 45 && this.ch(1) === 45 && this.ch(2) === 45) || (c === 46 && this.ch(1) === 46 && this.ch(2) === 46)) &&
      isBlankZ(this.ch(3))
    );
  }

  private scanFlowScalar(single: boolean): Token {
    const start = this.copyMark();
    this.skip();
    let s = '';
    let leadingBreak = '';
    let trailingBreaks = '';
    let whitespaces = '';
    for (;;) {
      this.cache(4);
      if (this.atDocumentIndicator()) this.scanError('found unexpected document indicator', start);
      if (this.p >= this.s.length) this.scanError('found unexpected end of stream', start);
      let leadingBlanks = false;
      while (!isBlankZ(this.ch()) || (this.ch() === 0 && this.p < this.s.length)) {
        const c = this.ch();
        if (single && c === 39 && this.ch(1) === 39) {
          s += "'";
          this.skip();
          this.skip();
        } else if (single && c === 39) {
          break;
        } else if (!single && c === 34) {
          break;
        } else if (!single && c === 92 && isBreak(this.ch(1))) {
          this.cache(3);
          this.skip();
          this.skipLine();
          leadingBlanks = true;
          break;
        } else if (!single && c === 92) {
          let codeLength = 0;
          const e = this.ch(1);
          const simple: Record<number, string> = {
            48: '\0', 97: '\x07', 98: '\b', 116: '\t', 9: '\t', 110: '\n', 118: '\v', 102: '\f', 114: '\r', 101: '\x1b',
            32: ' ', 34: '"', 39: "'", 92: '\\', 78: '\x85', 95: '\xa0', 76: '\u2028', 80: '\u2029',
          };
          if (simple[e] !== undefined) s += simple[e];
          else if (e === 120) codeLength = 2;
          else if (e === 117) codeLength = 4;
          else if (e === 85) codeLength = 8;
          else this.scanError('found unknown escape character', start);
          this.skip();
          this.skip();
          if (codeLength > 0) {
            this.cache(codeLength);
            let value = 0;
            for (let k = 0; k < codeLength; k++) {
              if (!isHex(this.ch(k))) this.scanError('did not find expected hexdecimal number', start);
              value = value * 16 + hexVal(this.ch(k));
            }
            if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) this.scanError('found invalid Unicode character escape code', start);
            s += String.fromCodePoint(value);
            for (let k = 0; k < codeLength; k++) this.skip();
          }
        } else {
          s += this.badRune < 0 ? this.run(single ? QUOTED_SINGLE_STOP : QUOTED_DOUBLE_STOP) : this.read();
        }
        this.cache(2);
      }
      this.cache(1);
      if (this.ch() === (single ? 39 : 34)) break;
      while (isBlank(this.ch()) || isBreak(this.ch())) {
        if (isBlank(this.ch())) {
          if (!leadingBlanks) whitespaces += this.read();
          else this.skip();
        } else {
          this.cache(2);
          if (!leadingBlanks) {
            whitespaces = '';
            leadingBreak += this.readLine();
            leadingBlanks = true;
          } else {
            trailingBreaks += this.readLine();
          }
        }
        this.cache(1);
      }
      if (leadingBlanks) {
        if (leadingBreak[0] === '\n') s += trailingBreaks.length === 0 ? ' ' : trailingBreaks;
        else s += leadingBreak + trailingBreaks;
        trailingBreaks = '';
        leadingBreak = '';
      } else {
        s += whitespaces;
        whitespaces = '';
      }
    }
    this.skip();
    return this.token(Tok.Scalar, start, this.copyMark(), { value: s, style: single ? Style.Single : Style.Double });
  }

  private scanPlainScalar(): Token {
    let s = '';
    let leadingBreak = '';
    let trailingBreaks = '';
    let whitespaces = '';
    let leadingBlanks = false;
    const indent = this.indent + 1;
    const start = this.copyMark();
    let end = this.copyMark();
    for (;;) {
      this.cache(4);
      if (this.atDocumentIndicator()) break;
      if (this.ch() === 35) break;
      while (!isBlankZ(this.ch()) || (this.ch() === 0 && this.p < this.s.length)) {
        const c = this.ch();
        if (
          (c === 58 && isBlankZ(this.ch(1))) ||
          (this.flowLevel > 0 && (c === 44 || c === 63 || c === 91 || c === 93 || c === 123 || c === 125))
        ) {
          break;
        }
        if (leadingBlanks || whitespaces.length > 0) {
          if (leadingBlanks) {
            if (leadingBreak[0] === '\n') s += trailingBreaks.length === 0 ? ' ' : trailingBreaks;
            else s += leadingBreak + trailingBreaks;
            trailingBreaks = '';
            leadingBreak = '';
            leadingBlanks = false;
          } else {
            s += whitespaces;
            whitespaces = '';
          }
        }
        s += this.badRune < 0 ? this.run(this.flowLevel > 0 ? PLAIN_FLOW_STOP : PLAIN_BLOCK_STOP) : this.read();
        end = this.copyMark();
        this.cache(2);
      }
      if (!(isBlank(this.ch()) || isBreak(this.ch()))) break;
      this.cache(1);
      while (isBlank(this.ch()) || isBreak(this.ch())) {
        if (isBlank(this.ch())) {
          if (leadingBlanks && this.mark.column < indent && this.ch() === 9) {
            this.scanError('found a tab character that violates indentation', start);
          }
          if (!leadingBlanks) whitespaces += this.read();
          else this.skip();
        } else {
          this.cache(2);
          if (!leadingBlanks) {
            whitespaces = '';
            leadingBreak += this.readLine();
            leadingBlanks = true;
          } else {
            trailingBreaks += this.readLine();
          }
        }
        this.cache(1);
      }
      if (this.flowLevel === 0 && this.mark.column < indent) break;
    }
    if (leadingBlanks) this.simpleKeyAllowed = true;
    return this.token(Tok.Scalar, start, end, { value: s, style: Style.Plain });
  }
}

// ---------------------------------------------------------------------------
// Parser (events) and composer (nodes), as go-yaml's parserc.go and decode.go

const enum Ev {
  StreamStart,
  StreamEnd,
  DocumentStart,
  DocumentEnd,
  Alias,
  Scalar,
  SequenceStart,
  SequenceEnd,
  MappingStart,
  MappingEnd,
}

interface Event {
  type: Ev;
  start: Mark;
  anchor: string | undefined;
  tag: string;
  value: string;
  implicit: boolean;
  style: Style;
}

const enum St {
  StreamStart,
  ImplicitDocumentStart,
  DocumentStart,
  DocumentContent,
  DocumentEnd,
  BlockNode,
  BlockNodeOrIndentlessSequence,
  FlowNode,
  BlockSequenceFirstEntry,
  BlockSequenceEntry,
  IndentlessSequenceEntry,
  BlockMappingFirstKey,
  BlockMappingKey,
  BlockMappingValue,
  FlowSequenceFirstEntry,
  FlowSequenceEntry,
  FlowSequenceEntryMappingKey,
  FlowSequenceEntryMappingValue,
  FlowSequenceEntryMappingEnd,
  FlowMappingFirstKey,
  FlowMappingKey,
  FlowMappingValue,
  FlowMappingEmptyValue,
  End,
}

const TAG_PREFIX = 'tag:yaml.org,2002:';

class Parser {
  private state = St.StreamStart;
  private states: St[] = [];
  private marks: Mark[] = [];
  private tagDirectives: { handle: string; prefix: string }[] = [];

  constructor(private readonly sc: Scanner) {}

  private fail(problem: string, problemMark: Mark, contextMark?: Mark): never {
    throw new YamlFail('parser', problem, problemMark.line, contextMark?.line ?? 0);
  }

  private event(type: Ev, start: Mark, extra: Partial<Event> = {}): Event {
    return { type, start, anchor: undefined, tag: '', value: '', implicit: false, style: Style.Plain, ...extra };
  }

  private pop(): void {
    this.state = this.states.pop()!;
  }

  next(): Event {
    switch (this.state) {
      case St.StreamStart: {
        const t = this.sc.peek();
        if (t.type !== Tok.StreamStart) this.fail('did not find expected <stream-start>', t.start);
        this.state = St.ImplicitDocumentStart;
        this.sc.skipToken();
        return this.event(Ev.StreamStart, t.start);
      }
      case St.ImplicitDocumentStart:
        return this.documentStart(true);
      case St.DocumentStart:
        return this.documentStart(false);
      case St.DocumentContent: {
        const t = this.sc.peek();
        if (t.type === Tok.VersionDirective || t.type === Tok.TagDirective || t.type === Tok.DocumentStart || t.type === Tok.DocumentEnd || t.type === Tok.StreamEnd) {
          this.pop();
          return this.emptyScalar(t.start);
        }
        return this.node(true, false);
      }
      case St.DocumentEnd: {
        const t = this.sc.peek();
        if (t.type === Tok.DocumentEnd) this.sc.skipToken();
        this.tagDirectives = [];
        this.state = St.DocumentStart;
        return this.event(Ev.DocumentEnd, t.start);
      }
      case St.BlockNode:
        return this.node(true, false);
      case St.BlockNodeOrIndentlessSequence:
        return this.node(true, true);
      case St.FlowNode:
        return this.node(false, false);
      case St.BlockSequenceFirstEntry:
        return this.blockSequenceEntry(true);
      case St.BlockSequenceEntry:
        return this.blockSequenceEntry(false);
      case St.IndentlessSequenceEntry:
        return this.indentlessSequenceEntry();
      case St.BlockMappingFirstKey:
        return this.blockMappingKey(true);
      case St.BlockMappingKey:
        return this.blockMappingKey(false);
      case St.BlockMappingValue:
        return this.blockMappingValue();
      case St.FlowSequenceFirstEntry:
        return this.flowSequenceEntry(true);
      case St.FlowSequenceEntry:
        return this.flowSequenceEntry(false);
      case St.FlowSequenceEntryMappingKey: {
        const t = this.sc.peek();
        if (t.type !== Tok.Value && t.type !== Tok.FlowEntry && t.type !== Tok.FlowSequenceEnd) {
          this.states.push(St.FlowSequenceEntryMappingValue);
          return this.node(false, false);
        }
        const mark = t.end;
        this.sc.skipToken();
        this.state = St.FlowSequenceEntryMappingValue;
        return this.emptyScalar(mark);
      }
      case St.FlowSequenceEntryMappingValue: {
        let t = this.sc.peek();
        if (t.type === Tok.Value) {
          this.sc.skipToken();
          t = this.sc.peek();
          if (t.type !== Tok.FlowEntry && t.type !== Tok.FlowSequenceEnd) {
            this.states.push(St.FlowSequenceEntryMappingEnd);
            return this.node(false, false);
          }
        }
        this.state = St.FlowSequenceEntryMappingEnd;
        return this.emptyScalar(t.start);
      }
      case St.FlowSequenceEntryMappingEnd: {
        const t = this.sc.peek();
        this.state = St.FlowSequenceEntry;
        return this.event(Ev.MappingEnd, t.start);
      }
      case St.FlowMappingFirstKey:
        return this.flowMappingKey(true);
      case St.FlowMappingKey:
        return this.flowMappingKey(false);
      case St.FlowMappingValue:
        return this.flowMappingValue(false);
      case St.FlowMappingEmptyValue:
        return this.flowMappingValue(true);
      default:
        return this.event(Ev.StreamEnd, this.sc.mark);
    }
  }

  private documentStart(implicit: boolean): Event {
    let t = this.sc.peek();
    if (!implicit) {
      while (t.type === Tok.DocumentEnd) {
        this.sc.skipToken();
        t = this.sc.peek();
      }
    }
    if (implicit && t.type !== Tok.VersionDirective && t.type !== Tok.TagDirective && t.type !== Tok.DocumentStart && t.type !== Tok.StreamEnd) {
      this.processDirectives();
      this.states.push(St.DocumentEnd);
      this.state = St.BlockNode;
      return this.event(Ev.DocumentStart, t.start);
    }
    if (t.type !== Tok.StreamEnd) {
      const start = t.start;
      this.processDirectives();
      t = this.sc.peek();
      if (t.type !== Tok.DocumentStart) this.fail('did not find expected <document start>', t.start);
      this.states.push(St.DocumentEnd);
      this.state = St.DocumentContent;
      this.sc.skipToken();
      return this.event(Ev.DocumentStart, start);
    }
    this.state = St.End;
    this.sc.skipToken();
    return this.event(Ev.StreamEnd, t.start);
  }

  private processDirectives(): void {
    let t = this.sc.peek();
    let version = false;
    while (t.type === Tok.VersionDirective || t.type === Tok.TagDirective) {
      if (t.type === Tok.VersionDirective) {
        if (version) this.fail('found duplicate %YAML directive', t.start);
        if (t.major !== 1 || t.minor !== 1) this.fail('found incompatible YAML document', t.start);
        version = true;
      } else {
        if (this.tagDirectives.some((d) => d.handle === t.value)) this.fail('found duplicate %TAG directive', t.start);
        this.tagDirectives.push({ handle: t.value, prefix: t.suffix });
      }
      this.sc.skipToken();
      t = this.sc.peek();
    }
    for (const d of [
      { handle: '!', prefix: '!' },
      { handle: '!!', prefix: TAG_PREFIX },
    ]) {
      if (!this.tagDirectives.some((x) => x.handle === d.handle)) this.tagDirectives.push(d);
    }
  }

  private emptyScalar(mark: Mark): Event {
    return this.event(Ev.Scalar, mark, { implicit: true, style: Style.Plain });
  }

  private node(block: boolean, indentlessSequence: boolean): Event {
    let t = this.sc.peek();
    if (t.type === Tok.Alias) {
      this.pop();
      this.sc.skipToken();
      return this.event(Ev.Alias, t.start, { anchor: t.value });
    }
    const start = t.start;
    let anchor: string | undefined;
    let tagToken = false;
    let tagHandle = '';
    let tagSuffix = '';
    let tagMark = t.start;
    if (t.type === Tok.Anchor) {
      anchor = t.value;
      this.sc.skipToken();
      t = this.sc.peek();
      if (t.type === Tok.Tag) {
        tagToken = true;
        tagHandle = t.value;
        tagSuffix = t.suffix;
        tagMark = t.start;
        this.sc.skipToken();
        t = this.sc.peek();
      }
    } else if (t.type === Tok.Tag) {
      tagToken = true;
      tagHandle = t.value;
      tagSuffix = t.suffix;
      tagMark = t.start;
      this.sc.skipToken();
      t = this.sc.peek();
      if (t.type === Tok.Anchor) {
        anchor = t.value;
        this.sc.skipToken();
        t = this.sc.peek();
      }
    }
    let tag = '';
    if (tagToken) {
      if (tagHandle === '') {
        tag = tagSuffix;
      } else {
        const d = this.tagDirectives.find((x) => x.handle === tagHandle);
        if (d) tag = d.prefix + tagSuffix;
        if (tag === '') this.fail('found undefined tag handle', tagMark, start);
      }
    }
    const implicit = tag === '';
    if (indentlessSequence && t.type === Tok.BlockEntry) {
      this.state = St.IndentlessSequenceEntry;
      return this.event(Ev.SequenceStart, start, { anchor, tag, implicit });
    }
    if (t.type === Tok.Scalar) {
      const plainImplicit = (tag === '' && t.style === Style.Plain) || tag === '!';
      this.pop();
      this.sc.skipToken();
      return this.event(Ev.Scalar, start, { anchor, tag, value: t.value, implicit: plainImplicit, style: t.style });
    }
    if (t.type === Tok.FlowSequenceStart) {
      this.state = St.FlowSequenceFirstEntry;
      return this.event(Ev.SequenceStart, start, { anchor, tag, implicit });
    }
    if (t.type === Tok.FlowMappingStart) {
      this.state = St.FlowMappingFirstKey;
      return this.event(Ev.MappingStart, start, { anchor, tag, implicit });
    }
    if (block && t.type === Tok.BlockSequenceStart) {
      this.state = St.BlockSequenceFirstEntry;
      return this.event(Ev.SequenceStart, start, { anchor, tag, implicit });
    }
    if (block && t.type === Tok.BlockMappingStart) {
      this.state = St.BlockMappingFirstKey;
      return this.event(Ev.MappingStart, start, { anchor, tag, implicit });
    }
    if (anchor !== undefined || tag !== '') {
      this.pop();
      return this.event(Ev.Scalar, start, { anchor, tag, implicit, style: Style.Plain });
    }
    this.fail('did not find expected node content', t.start, start);
  }

  private blockSequenceEntry(first: boolean): Event {
    if (first) {
      this.marks.push(this.sc.peek().start);
      this.sc.skipToken();
    }
    let t = this.sc.peek();
    if (t.type === Tok.BlockEntry) {
      const mark = t.end;
      this.sc.skipToken();
      t = this.sc.peek();
      if (t.type !== Tok.BlockEntry && t.type !== Tok.BlockEnd) {
        this.states.push(St.BlockSequenceEntry);
        return this.node(true, false);
      }
      this.state = St.BlockSequenceEntry;
      return this.emptyScalar(mark);
    }
    if (t.type === Tok.BlockEnd) {
      this.pop();
      this.marks.pop();
      this.sc.skipToken();
      return this.event(Ev.SequenceEnd, t.start);
    }
    this.fail("did not find expected '-' indicator", t.start, this.marks.pop());
  }

  private indentlessSequenceEntry(): Event {
    let t = this.sc.peek();
    if (t.type === Tok.BlockEntry) {
      const mark = t.end;
      this.sc.skipToken();
      t = this.sc.peek();
      if (t.type !== Tok.BlockEntry && t.type !== Tok.Key && t.type !== Tok.Value && t.type !== Tok.BlockEnd) {
        this.states.push(St.IndentlessSequenceEntry);
        return this.node(true, false);
      }
      this.state = St.IndentlessSequenceEntry;
      return this.emptyScalar(mark);
    }
    this.pop();
    return this.event(Ev.SequenceEnd, t.start);
  }

  private blockMappingKey(first: boolean): Event {
    if (first) {
      this.marks.push(this.sc.peek().start);
      this.sc.skipToken();
    }
    let t = this.sc.peek();
    if (t.type === Tok.Key) {
      const mark = t.end;
      this.sc.skipToken();
      t = this.sc.peek();
      if (t.type !== Tok.Key && t.type !== Tok.Value && t.type !== Tok.BlockEnd) {
        this.states.push(St.BlockMappingValue);
        return this.node(true, true);
      }
      this.state = St.BlockMappingValue;
      return this.emptyScalar(mark);
    }
    if (t.type === Tok.BlockEnd) {
      this.pop();
      this.marks.pop();
      this.sc.skipToken();
      return this.event(Ev.MappingEnd, t.start);
    }
    this.fail('did not find expected key', t.start, this.marks.pop());
  }

  private blockMappingValue(): Event {
    let t = this.sc.peek();
    if (t.type === Tok.Value) {
      const mark = t.end;
      this.sc.skipToken();
      t = this.sc.peek();
      if (t.type !== Tok.Key && t.type !== Tok.Value && t.type !== Tok.BlockEnd) {
        this.states.push(St.BlockMappingKey);
        return this.node(true, true);
      }
      this.state = St.BlockMappingKey;
      return this.emptyScalar(mark);
    }
    this.state = St.BlockMappingKey;
    return this.emptyScalar(t.start);
  }

  private flowSequenceEntry(first: boolean): Event {
    if (first) {
      this.marks.push(this.sc.peek().start);
      this.sc.skipToken();
    }
    let t = this.sc.peek();
    if (t.type !== Tok.FlowSequenceEnd) {
      if (!first) {
        if (t.type === Tok.FlowEntry) {
          this.sc.skipToken();
          t = this.sc.peek();
        } else {
          this.fail("did not find expected ',' or ']'", t.start, this.marks.pop());
        }
      }
      if (t.type === Tok.Key) {
        this.state = St.FlowSequenceEntryMappingKey;
        this.sc.skipToken();
        return this.event(Ev.MappingStart, t.start, { implicit: true });
      }
      if (t.type !== Tok.FlowSequenceEnd) {
        this.states.push(St.FlowSequenceEntry);
        return this.node(false, false);
      }
    }
    this.pop();
    this.marks.pop();
    this.sc.skipToken();
    return this.event(Ev.SequenceEnd, t.start);
  }

  private flowMappingKey(first: boolean): Event {
    if (first) {
      this.marks.push(this.sc.peek().start);
      this.sc.skipToken();
    }
    let t = this.sc.peek();
    if (t.type !== Tok.FlowMappingEnd) {
      if (!first) {
        if (t.type === Tok.FlowEntry) {
          this.sc.skipToken();
          t = this.sc.peek();
        } else {
          this.fail("did not find expected ',' or '}'", t.start, this.marks.pop());
        }
      }
      if (t.type === Tok.Key) {
        this.sc.skipToken();
        t = this.sc.peek();
        if (t.type !== Tok.Value && t.type !== Tok.FlowEntry && t.type !== Tok.FlowMappingEnd) {
          this.states.push(St.FlowMappingValue);
          return this.node(false, false);
        }
        this.state = St.FlowMappingValue;
        return this.emptyScalar(t.start);
      }
      if (t.type !== Tok.FlowMappingEnd) {
        this.states.push(St.FlowMappingEmptyValue);
        return this.node(false, false);
      }
    }
    this.pop();
    this.marks.pop();
    this.sc.skipToken();
    return this.event(Ev.MappingEnd, t.start);
  }

  private flowMappingValue(empty: boolean): Event {
    let t = this.sc.peek();
    if (empty) {
      this.state = St.FlowMappingKey;
      return this.emptyScalar(t.start);
    }
    if (t.type === Tok.Value) {
      this.sc.skipToken();
      t = this.sc.peek();
      if (t.type !== Tok.FlowEntry && t.type !== Tok.FlowMappingEnd) {
        this.states.push(St.FlowMappingKey);
        return this.node(false, false);
      }
    }
    this.state = St.FlowMappingKey;
    return this.emptyScalar(t.start);
  }
}

// Composed nodes, as go-yaml's decode.go builds them.
type YNode =
  | { kind: 'scalar'; tag: string; value: string; implicit: boolean }
  | { kind: 'seq'; children: YNode[] }
  | { kind: 'map'; children: YNode[] }
  | { kind: 'alias'; name: string; target: YNode };

class Composer {
  private ev: Event | undefined;
  private anchors = new Map<string, YNode>();

  constructor(private readonly parser: Parser) {}

  private peek(): Event {
    this.ev ??= this.parser.next();
    return this.ev;
  }

  private take(): Event {
    const e = this.peek();
    this.ev = undefined;
    return e;
  }

  // The first document's root, or undefined for an empty stream.
  document(): YNode | undefined {
    this.take(); // stream start
    if (this.peek().type === Ev.StreamEnd) return undefined;
    this.take(); // document start
    const root = this.node();
    this.take(); // document end
    return root;
  }

  private node(): YNode {
    const e = this.peek();
    switch (e.type) {
      case Ev.Alias: {
        const target = this.anchors.get(e.anchor ?? '');
        if (!target) throw new YamlPlainFail(`unknown anchor '${e.anchor ?? ''}' referenced`);
        this.take();
        return { kind: 'alias', name: e.anchor ?? '', target };
      }
      case Ev.Scalar: {
        const n: YNode = { kind: 'scalar', tag: e.tag, value: e.value, implicit: e.implicit };
        if (e.anchor !== undefined) this.anchors.set(e.anchor, n);
        this.take();
        return n;
      }
      case Ev.SequenceStart:
      case Ev.MappingStart: {
        const n: YNode = e.type === Ev.SequenceStart ? { kind: 'seq', children: [] } : { kind: 'map', children: [] };
        if (e.anchor !== undefined) this.anchors.set(e.anchor, n);
        this.take();
        const end = e.type === Ev.SequenceStart ? Ev.SequenceEnd : Ev.MappingEnd;
        while (this.peek().type !== end) n.children.push(this.node());
        this.take();
        return n;
      }
      default:
        throw new YamlPlainFail('attempted to go past the end of stream; corrupted value?');
    }
  }
}

// ---------------------------------------------------------------------------
// Decoder: nodes to JSON values (go-yaml's decoder into interface{}, then
// sigs.k8s.io/yaml's conversion to JSON-able values)

// A decoded value before keys become strings.
type GoValue = null | boolean | number | bigint | string | GoValue[] | GoMap;
class GoMap {
  readonly keys: GoValue[] = [];
  readonly values: GoValue[] = [];
  // Go compares interface{} keys by type and value; collections cannot be keys.
  private readonly index = new Map<string, number>();
  set(k: GoValue, v: GoValue): void {
    const id = `${typeof k}:${String(k)}`;
    const i = this.index.get(id);
    if (i !== undefined) this.values[i] = v;
    else {
      this.index.set(id, this.keys.length);
      this.keys.push(k);
      this.values.push(v);
    }
  }
}

const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BOOLS: Record<string, boolean> = {};
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) BOOLS[s] = true;
for (const s of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) BOOLS[s] = false;
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL_FLOATS: Record<string, number> = {
  '.nan': NaN, '.NaN': NaN, '.NAN': NaN,
  '.inf': Infinity, '.Inf': Infinity, '.INF': Infinity,
  '+.inf': Infinity, '+.Inf': Infinity, '+.INF': Infinity,
  '-.inf': -Infinity, '-.Inf': -Infinity, '-.INF': -Infinity,
};

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

// Go's strconv.ParseInt/ParseUint with base 0: optional sign, 0x/0o/0b/0
// prefixes, underscores only between digits after a prefix (already removed
// by the caller).
function goParseInt(s: string, unsigned: boolean): bigint | undefined {
  let i = 0;
  let neg = false;
  if (!unsigned && (s[0] === '+' || s[0] === '-')) {
    neg = s[0] === '-';
    i = 1;
  }
  let base = 10;
  let body = s.slice(i);
  if (/^0[xX]/.test(body)) {
    base = 16;
    body = body.slice(2);
  } else if (/^0[oO]/.test(body)) {
    base = 8;
    body = body.slice(2);
  } else if (/^0[bB]/.test(body)) {
    base = 2;
    body = body.slice(2);
  } else if (body.length > 1 && body[0] === '0') {
    base = 8;
    body = body.slice(1);
  }
  const digits = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : base === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (!digits.test(body)) return undefined;
  let v = 0n;
  for (const d of body) v = v * BigInt(base) + BigInt(parseInt(d, 16));
  if (neg) v = -v;
  if (unsigned ? v > UINT64_MAX : v < INT64_MIN || v > INT64_MAX) return undefined;
  return v;
}

function intValue(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

// go-yaml's timestamp formats (time.Parse with 2006-1-2, optionally
// T15:4:5.999999999Z07:00 or a space and 15:4:5.999999999). Decoded into an
// interface{}, a timestamp stays its text; the check only keeps it from being
// read as a number and lets `!!timestamp` reject what is not one.
function isTimestamp(s: string): boolean {
  const m = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[Tt]([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:\.[0-9]+)?(?:Z|[-+][0-9]{2}:[0-9]{2})| ([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:\.[0-9]+)?)?$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  if (d > days) return false;
  const hh = Number(m[4] ?? m[7] ?? 0);
  const mm = Number(m[5] ?? m[8] ?? 0);
  const ss = Number(m[6] ?? m[9] ?? 0);
  return hh < 24 && mm < 60 && ss < 60;
}

// resolve(): the value of a plain (or explicitly tagged) scalar.
function resolve(tag: string, value: string): GoValue {
  const resolvable = ['', `${TAG_PREFIX}str`, `${TAG_PREFIX}bool`, `${TAG_PREFIX}int`, `${TAG_PREFIX}float`, `${TAG_PREFIX}null`, `${TAG_PREFIX}timestamp`];
  if (!resolvable.includes(tag)) {
    if (tag === `${TAG_PREFIX}binary`) return decodeBinary(value);
    return value;
  }
  const [rtag, out] = resolveUntyped(tag, value);
  if (tag === '' || tag === rtag || tag === `${TAG_PREFIX}str`) return out;
  if (tag === `${TAG_PREFIX}float` && rtag === 'int') return Number(out);
  const short = (t: string) => `!!${t.replace(TAG_PREFIX, '')}`;
  throw new YamlPlainFail(`cannot decode ${short(rtag)} \`${value}\` as a ${short(tag)}`);
}

function decodeBinary(value: string): string {
  const clean = value.replace(/\s/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) throw new YamlPlainFail('!!binary value contains invalid base64 data');
  return Buffer.from(clean, 'base64').toString('utf8');
}

// Returns the resolved tag (short form: `str`, `int`, ...) and value.
function resolveUntyped(tag: string, value: string): [string, GoValue] {
  const full = (t: string) => `${TAG_PREFIX}${t}`;
  const first = value.length > 0 ? value[0] : '';
  const hint = value === '' ? 'N' : /[-+]/.test(first) ? 'S' : /[0-9]/.test(first) ? 'D' : /[yYnNtTfFoO~]/.test(first) ? 'M' : first === '.' ? '.' : '';
  if (hint === '' || tag === full('str')) return [full('str'), value];
  if (value in BOOLS) return [full('bool'), BOOLS[value]];
  if (NULLS.has(value)) return [full('null'), null];
  if (value in SPECIAL_FLOATS) return [full('float'), SPECIAL_FLOATS[value]];
  if (value === '<<') return [full('merge'), value];
  if (hint === '.') {
    const f = goParseFloat(value);
    if (f !== undefined) return [full('float'), f];
  } else if (hint === 'D' || hint === 'S') {
    if ((tag === '' || tag === full('timestamp')) && isTimestamp(value)) return [full('timestamp'), value];
    const plain = value.replace(/_/g, '');
    const i = goParseInt(plain, false);
    if (i !== undefined) return [full('int'), intValue(i)];
    const u = goParseInt(plain, true);
    if (u !== undefined) return [full('int'), intValue(u)];
    if (YAML_FLOAT.test(plain)) {
      const f = goParseFloat(plain);
      if (f !== undefined) return [full('float'), f];
    }
    if (plain.startsWith('0b')) {
      const b = goParseInt(`0b${plain.slice(2)}`, false) ?? goParseInt(`0b${plain.slice(2)}`, true);
      if (b !== undefined && /^[01]+$/.test(plain.slice(2))) return [full('int'), intValue(b)];
    } else if (plain.startsWith('-0b') && /^[01]+$/.test(plain.slice(3))) {
      const b = goParseInt(`-0b${plain.slice(3)}`, false);
      if (b !== undefined) return [full('int'), intValue(b)];
    }
  }
  return [full('str'), value];
}

// strconv.ParseFloat: decimal or hex floats, inf/nan words; out of range fails.
function goParseFloat(s: string): number | undefined {
  const body = s.replace(/^[-+]/, '');
  if (/^(inf|infinity|nan)$/i.test(body)) return body.toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity;
  if (!/^([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/.test(body)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

// The alias-expansion guard of go-yaml v2 (billion laughs): past 400k decode
// steps the allowed share of aliased work falls from 99% to 10%.
function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= 400000) return 0.99;
  if (decodeCount >= 4000000) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - 400000) / 3600000);
}

class Decoder {
  private decodeCount = 0;
  private aliasCount = 0;
  private aliasDepth = 0;
  private readonly active = new Set<YNode>();

  decode(n: YNode): GoValue {
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
    if (this.aliasCount > 100 && this.decodeCount > 1000 && this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)) {
      throw new YamlPlainFail('document contains excessive aliasing');
    }
    switch (n.kind) {
      case 'alias': {
        if (this.active.has(n)) throw new YamlPlainFail(`anchor '${n.name}' value contains itself`);
        this.active.add(n);
        this.aliasDepth++;
        const v = this.decode(n.target);
        this.aliasDepth--;
        this.active.delete(n);
        return v;
      }
      case 'scalar':
        if (n.tag === '' && !n.implicit) return n.value;
        return resolve(n.tag, n.value);
      case 'seq':
        return n.children.map((c) => this.decode(c));
      case 'map': {
        const out = new GoMap();
        this.mapping(n, out);
        return out;
      }
    }
  }

  private mapping(n: { children: YNode[] }, out: GoMap): void {
    for (let i = 0; i < n.children.length; i += 2) {
      const k = n.children[i];
      if (k.kind === 'scalar' && k.value === '<<' && (k.implicit || k.tag === `${TAG_PREFIX}merge`)) {
        this.merge(n.children[i + 1], out);
        continue;
      }
      const key = this.decode(k);
      if (Array.isArray(key) || key instanceof GoMap) throw new YamlPlainFail(`invalid map key: ${goSharpV(key)}`);
      out.set(key, this.decode(n.children[i + 1]));
    }
  }

  // `<<` merges a map, or a list of maps (the earlier ones winning), into out.
  private merge(n: YNode, out: GoMap): void {
    const wantMap = () => new YamlPlainFail('map merge requires map or sequence of maps as the value');
    const into = (m: YNode): void => {
      this.decodeCount++;
      if (this.aliasDepth > 0) this.aliasCount++;
      if (m.kind === 'alias') {
        if (this.active.has(m)) throw new YamlPlainFail(`anchor '${m.name}' value contains itself`);
        this.active.add(m);
        this.aliasDepth++;
        into(m.target);
        this.aliasDepth--;
        this.active.delete(m);
      } else if (m.kind === 'map') {
        this.mapping(m, out);
      } else {
        throw wantMap();
      }
    };
    if (n.kind === 'map') into(n);
    else if (n.kind === 'alias') {
      if (n.target.kind !== 'map') throw wantMap();
      into(n);
    } else if (n.kind === 'seq') {
      for (let i = n.children.length - 1; i >= 0; i--) {
        const c = n.children[i];
        if (c.kind === 'alias' ? c.target.kind !== 'map' : c.kind !== 'map') throw wantMap();
        into(c);
      }
    } else {
      throw wantMap();
    }
  }
}

// Go's %#v of a decoded value, for `invalid map key: []interface {}{"a"}`.
function goSharpV(v: GoValue): string {
  if (v === null) return 'interface {}(nil)';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSharpV).join(', ')}}`;
  const parts = v.keys.map((k, i) => `${goSharpV(k)}:${goSharpV(v.values[i])}`).sort();
  return `map[interface {}]interface {}{${parts.join(', ')}}`;
}

// Go's strconv.FormatFloat(f, 'g', -1, 32), for float map keys.
function formatFloat32(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  if (f === Infinity) return '.inf';
  if (f === -Infinity) return '-.inf';
  const target = Math.fround(f);
  let digits = '';
  for (let p = 1; p <= 9; p++) {
    digits = target.toPrecision(p);
    if (Math.fround(Number(digits)) === target) break;
  }
  const [mant, expPart] = Number(digits).toExponential().split('e');
  const exp = Number(expPart);
  // Shortest %g switches to an exponent from 1e+06 on.
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${mant}e${exp < 0 ? '-' : '+'}${e}`;
  }
  return String(Number(digits));
}

// sigs.k8s.io/yaml's convertToJSONableObject, then encoding/json: keys become
// strings; NaN and infinities cannot be encoded.
function toJson(v: GoValue): unknown {
  if (v instanceof GoMap) {
    const out: Record<string, unknown> = {};
    v.keys.forEach((k, i) => {
      let key: string;
      if (typeof k === 'string') key = k;
      else if (typeof k === 'number' && Number.isInteger(k)) key = String(k);
      else if (typeof k === 'bigint') key = String(k);
      else if (typeof k === 'number') key = formatFloat32(k);
      else if (typeof k === 'boolean') key = String(k);
      else {
        throw new ManifestSyntaxError(`error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: ${goSharpV(v.values[i])}`);
      }
      // Defined as a property so that a `__proto__` key stays an ordinary key.
      Object.defineProperty(out, key, { value: toJson(v.values[i]), enumerable: true, writable: true, configurable: true });
    });
    return out;
  }
  if (Array.isArray(v)) return v.map(toJson);
  if (typeof v === 'number' && !Number.isFinite(v)) {
    throw new ManifestSyntaxError(`error converting YAML to JSON: json: unsupported value: ${Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf'}`);
  }
  if (typeof v === 'bigint') return Number(v);
  return v;
}

// One document of a YAML stream (as splitYamlDocuments cuts them) to its JSON
// value, or a ManifestSyntaxError with kubectl's text (`error converting YAML
// to JSON: yaml: line 5: ...`).
export function yamlDocumentToJson(doc: string): unknown {
  let root: GoValue;
  try {
    const sc = new Scanner(doc.length === 0 ? '\n' : doc);
    const node = new Composer(new Parser(sc)).document();
    root = node === undefined ? null : new Decoder().decode(node);
  } catch (e) {
    if (e instanceof YamlFail) throw new ManifestSyntaxError(`error converting YAML to JSON: yaml: ${e.text()}`);
    if (e instanceof YamlPlainFail) throw new ManifestSyntaxError(`error converting YAML to JSON: yaml: ${e.message}`);
    throw e;
  }
  return toJson(root);
}

// ---------------------------------------------------------------------------
// JSON streams: Go's encoding/json Decoder, value after value

// Go's quoteChar: the offending byte as Go prints it in a SyntaxError.
function quoteChar(c: number): string {
  if (c === 39) return "'\\''";
  if (c === 34) return '\'"\'';
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 92: '\\\\' };
  if (named[c]) return `'${named[c]}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  if ((c >= 0x80 && c <= 0xa0) || c === 0xad) return `'\\u00${c.toString(16).padStart(2, '0')}'`;
  return `'${String.fromCharCode(c)}'`;
}

// Decodes the JSON values of the stream one after the other, as json.Decoder
// does, throwing Go's error text (`json: offset N: invalid character ...`,
// `unexpected EOF`) when it meets a bad one.
export function* jsonStreamToValues(text: string): Generator<unknown> {
  const bytes = Buffer.from(text, 'utf8');
  let i = 0;
  const n = bytes.length;
  const isWs = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;
  const syntax = (at: number, what: string): never => {
    throw new ManifestSyntaxError(`json: offset ${at + 1}: invalid character ${quoteChar(bytes[at])} ${what}`);
  };
  const eof = (): never => {
    throw new ManifestSyntaxError('unexpected EOF');
  };
  const value = (): void => {
    while (i < n && isWs(bytes[i])) i++;
    if (i >= n) eof();
    const c = bytes[i];
    if (c === 123 /* { */) {
      i++;
      while (i < n && isWs(bytes[i])) i++;
      if (i >= n) eof();
      if (bytes[i] === 125) {
        i++;
        return;
      }
      for (;;) {
        while (i < n && isWs(bytes[i])) i++;
        if (i >= n) eof();
        if (bytes[i] !== 34) syntax(i, 'looking for beginning of object key string');
        string();
        while (i < n && isWs(bytes[i])) i++;
        if (i >= n) eof();
        if (bytes[i] !== 58) syntax(i, 'after object key');
        i++;
        value();
        while (i < n && isWs(bytes[i])) i++;
        if (i >= n) eof();
        if (bytes[i] === 44) {
          i++;
          continue;
        }
        if (bytes[i] === 125) {
          i++;
          return;
        }
        syntax(i, 'after object key:value pair');
      }
    }
    if (c === 91 /* [ */) {
      i++;
      while (i < n && isWs(bytes[i])) i++;
      if (i >= n) eof();
      if (bytes[i] === 93) {
        i++;
        return;
      }
      for (;;) {
        value();
        while (i < n && isWs(bytes[i])) i++;
        if (i >= n) eof();
        if (bytes[i] === 44) {
          i++;
          continue;
        }
        if (bytes[i] === 93) {
          i++;
          return;
        }
        syntax(i, 'after array element');
      }
    }
    if (c === 34) return string();
    if (c === 45 || (c >= 48 && c <= 57)) return number();
    for (const word of ['true', 'false', 'null']) {
      if (c === word.charCodeAt(0)) {
        i++;
        for (let k = 1; k < word.length; k++, i++) {
          if (i >= n) eof();
          if (bytes[i] !== word.charCodeAt(k)) syntax(i, `in literal ${word} (expecting '${word[k]}')`);
        }
        return;
      }
    }
    syntax(i, 'looking for beginning of value');
  };
  const string = (): void => {
    i++;
    for (;;) {
      if (i >= n) eof();
      const c = bytes[i];
      if (c === 34) {
        i++;
        return;
      }
      if (c < 0x20) syntax(i, 'in string literal');
      if (c === 92) {
        i++;
        if (i >= n) eof();
        const e = bytes[i];
        if (e === 117 /* u */) {
          i++;
          for (let k = 0; k < 4; k++, i++) {
            if (i >= n) eof();
            if (!isHex(bytes[i])) syntax(i, 'in \\u hexadecimal character escape');
          }
          continue;
        }
        if (!'"\\/bfnrt'.includes(String.fromCharCode(e))) syntax(i, 'in string escape code');
      }
      i++;
    }
  };
  const number = (): void => {
    if (bytes[i] === 45) {
      i++;
      if (i >= n) eof();
      if (!(bytes[i] >= 48 && bytes[i] <= 57)) syntax(i, 'in numeric literal');
    }
    if (bytes[i] === 48) i++;
    else while (i < n && bytes[i] >= 48 && bytes[i] <= 57) i++;
    if (i < n && bytes[i] === 46) {
      i++;
      if (i >= n) eof();
      if (!(bytes[i] >= 48 && bytes[i] <= 57)) syntax(i, 'after decimal point in numeric literal');
      while (i < n && bytes[i] >= 48 && bytes[i] <= 57) i++;
    }
    if (i < n && (bytes[i] === 101 || bytes[i] === 69)) {
      i++;
      if (i < n && (bytes[i] === 43 || bytes[i] === 45)) i++;
      if (i >= n) eof();
      if (!(bytes[i] >= 48 && bytes[i] <= 57)) syntax(i, 'in exponent of numeric literal');
      while (i < n && bytes[i] >= 48 && bytes[i] <= 57) i++;
    }
  };
  for (;;) {
    while (i < n && isWs(bytes[i])) i++;
    if (i >= n) break;
    const from = i;
    value();
    yield JSON.parse(bytes.subarray(from, i).toString('utf8'));
  }
}
