// The syntax tree of the shell language subset. Every node is plain JSON data (no
// classes, no cycles) so that function definitions can be stored in a checkpoint.

export type WordPart =
  // Unquoted literal text; may hold glob characters and is subject to tilde rules.
  | { k: 'lit'; v: string }
  // Quoted literal text ('...', a backslash escape, or literal text inside "..."):
  // never split, never globbed.
  | { k: 'sq'; v: string }
  // A double-quoted group: its expansions are not split nor globbed.
  | { k: 'dq'; parts: WordPart[] }
  | ParamPart
  // $(...) or `...`
  | { k: 'cmd'; body: Cmd }
  // $((...)): the inner text is itself a word (it can hold $x and $(...)).
  | { k: 'arith'; expr: Word }
  // ~ or ~user at the start of a word.
  | { k: 'tilde'; user: string };

export type ParamOp =
  | '' // $x ${x}
  | 'len' // ${#x}
  | ':-' | '-' | ':=' | '=' | ':?' | '?' | ':+' | '+'
  | '#' | '##' | '%' | '%%'
  | '/' | '//' | '/#' | '/%' // bash pattern substitution
  | ':' // bash substring ${x:off:len}
  | '^^' | ',,' | '^' | ','; // bash case modification

export interface ParamPart {
  k: 'param';
  name: string;
  op: ParamOp;
  arg?: Word;
  arg2?: Word;
  // ${!x}: indirect expansion (bash).
  indirect?: boolean;
  // ${a[i]}: array subscript (bash arrays, kept minimal).
  index?: Word;
  // An operator this shell does not know (dash): "Bad substitution" when expanded.
  bad?: boolean;
}

export interface Word {
  parts: WordPart[];
}

export type RedirOp = '<' | '>' | '>>' | '>|' | '<>' | '<&' | '>&' | '&>' | '&>>' | '<<' | '<<-' | '<<<';

export interface Redir {
  fd?: number;
  op: RedirOp;
  target: Word;
  // For here-documents: the body, already parsed (a quoted delimiter gives one 'sq' part).
  body?: Word;
}

export interface Assign {
  name: string;
  value: Word;
  append?: boolean;
  // name=(a b c) in bash.
  array?: Word[];
}

export type CondExpr =
  | { k: 'and' | 'or'; a: CondExpr; b: CondExpr }
  | { k: 'not'; e: CondExpr }
  | { k: 'un'; op: string; arg: Word }
  | { k: 'bin'; op: string; l: Word; r: Word }
  | { k: 'word'; w: Word };

export interface CaseArm {
  pats: Word[];
  body?: Cmd;
  term: ';;' | ';&' | ';;&';
}

export type Cmd =
  | { t: 'simple'; assigns: Assign[]; words: Word[]; redirs: Redir[]; line: number }
  | { t: 'pipe'; cmds: Cmd[]; bang: boolean }
  | { t: 'andor'; first: Cmd; rest: { op: '&&' | '||'; cmd: Cmd }[] }
  | { t: 'list'; items: { cmd: Cmd; bg: boolean }[] }
  | { t: 'if'; arms: { cond: Cmd; body: Cmd }[]; else?: Cmd; redirs: Redir[] }
  | { t: 'loop'; until: boolean; cond: Cmd; body: Cmd; redirs: Redir[] }
  | { t: 'for'; name: string; items?: Word[]; body: Cmd; redirs: Redir[] }
  | { t: 'afor'; init: Word; cond: Word; step: Word; body: Cmd; redirs: Redir[] }
  | { t: 'case'; word: Word; arms: CaseArm[]; redirs: Redir[] }
  | { t: 'group'; body: Cmd; redirs: Redir[] }
  | { t: 'sub'; body: Cmd; redirs: Redir[] }
  | { t: 'func'; name: string; body: Cmd }
  | { t: 'arith'; expr: Word; redirs: Redir[]; line: number }
  | { t: 'cond'; expr: CondExpr; redirs: Redir[]; line: number };

export function lit(v: string): Word {
  return { parts: [{ k: 'lit', v }] };
}

// The text of a word made only of literal parts (quoted or not), or undefined when it
// holds an expansion. Used for reserved words, function names and here-doc delimiters.
export function literalText(w: Word): string | undefined {
  let s = '';
  for (const p of w.parts) {
    if (p.k === 'lit' || p.k === 'sq') s += p.v;
    else if (p.k === 'dq') {
      const inner = literalText({ parts: p.parts });
      if (inner === undefined) return undefined;
      s += inner;
    } else return undefined;
  }
  return s;
}

export function isQuoted(w: Word): boolean {
  return w.parts.some((p) => p.k === 'sq' || p.k === 'dq');
}
