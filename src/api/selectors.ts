import type { LabelSelector } from 'kubernetes-types/meta/v1';

// Label selectors (equality- and set-based) and field selectors, with the
// grammar and error texts of apimachinery's labels and fields packages.

export type Operator = 'in' | 'notin' | 'exists' | '!' | '=' | '==' | '!=' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  op: Operator;
  values: string[];
}

export class SelectorParseError extends Error {}

const KEY_CHARS = /[A-Za-z0-9_./-]/;

// Parses `app=web,tier!=db,env in (a,b),!legacy,release`.
export function parseLabelSelector(text: string): Requirement[] {
  const reqs: Requirement[] = [];
  let i = 0;
  const s = text;
  const skipWs = () => {
    while (i < s.length && /\s/.test(s[i])) i++;
  };
  const readIdent = (): string => {
    skipWs();
    const start = i;
    while (i < s.length && KEY_CHARS.test(s[i])) i++;
    return s.slice(start, i);
  };
  skipWs();
  if (i >= s.length) return reqs;
  for (;;) {
    skipWs();
    let op: Operator | undefined;
    if (s[i] === '!') {
      i++;
      const key = readIdent();
      if (!key) throw new SelectorParseError(`unable to parse requirement: found '${s[i] ?? ''}', expected: identifier`);
      reqs.push({ key, op: '!', values: [] });
    } else {
      const key = readIdent();
      if (!key) throw new SelectorParseError(`unable to parse requirement: found '${s[i] ?? ''}', expected: identifier`);
      skipWs();
      if (s.startsWith('==', i)) {
        op = '==';
        i += 2;
      } else if (s.startsWith('!=', i)) {
        op = '!=';
        i += 2;
      } else if (s[i] === '=') {
        op = '=';
        i += 1;
      } else if (s[i] === '>') {
        op = 'gt';
        i += 1;
      } else if (s[i] === '<') {
        op = 'lt';
        i += 1;
      } else if (/^in\s*\(/.test(s.slice(i))) {
        op = 'in';
        i += 2;
      } else if (/^notin\s*\(/.test(s.slice(i))) {
        op = 'notin';
        i += 5;
      }
      if (!op) {
        if (i >= s.length || s[i] === ',') reqs.push({ key, op: 'exists', values: [] });
        else throw new SelectorParseError(`found '${s.slice(i).split(/[\s,]/)[0]}', expected: in, notin, =, ==, !=, gt, lt`);
      } else if (op === 'in' || op === 'notin') {
        skipWs();
        i++; // (
        const values: string[] = [];
        for (;;) {
          const v = readIdent();
          values.push(v);
          skipWs();
          if (s[i] === ',') {
            i++;
            continue;
          }
          if (s[i] === ')') {
            i++;
            break;
          }
          throw new SelectorParseError(`found '${s[i] ?? ''}', expected: ',', or ')'`);
        }
        reqs.push({ key, op, values });
      } else {
        const v = readIdent();
        if ((op === 'gt' || op === 'lt') && !/^-?\d+$/.test(v)) {
          throw new SelectorParseError(`for 'Gt', 'Lt' operators, exactly one value is required`);
        }
        reqs.push({ key, op, values: [v] });
      }
    }
    skipWs();
    if (i >= s.length) break;
    if (s[i] !== ',') throw new SelectorParseError(`found '${s.slice(i).split(/[\s,]/)[0]}', expected: ',' or 'end of string'`);
    i++;
  }
  for (const r of reqs) validateKey(r.key);
  return reqs;
}

function validateKey(key: string): void {
  const parts = key.split('/');
  const name = parts[parts.length - 1];
  if (parts.length > 2 || !/^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/.test(name) || name.length > 63) {
    throw new SelectorParseError(
      `unable to parse requirement: values[0][${key}]: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    );
  }
}

export function matchesRequirements(reqs: readonly Requirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case '=':
      case '==':
      case 'in':
        return has && r.values.includes(v);
      case '!=':
      case 'notin':
        return !has || !r.values.includes(v);
      case 'exists':
        return has;
      case '!':
        return !has;
      case 'gt':
        return has && /^-?\d+$/.test(v) && Number(v) > Number(r.values[0]);
      case 'lt':
        return has && /^-?\d+$/.test(v) && Number(v) < Number(r.values[0]);
    }
    return false;
  });
}

// A metav1.LabelSelector as requirements. An empty selector matches everything;
// a null one matches nothing (callers handle the null case).
export function requirementsOfSelector(sel: LabelSelector | undefined): Requirement[] {
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(sel?.matchLabels ?? {})) reqs.push({ key, op: '=', values: [value] });
  for (const e of sel?.matchExpressions ?? []) {
    const op: Operator =
      e.operator === 'In' ? 'in' : e.operator === 'NotIn' ? 'notin' : e.operator === 'Exists' ? 'exists' : '!';
    reqs.push({ key: e.key, op, values: e.values ?? [] });
  }
  return reqs;
}

export function selectorMatches(sel: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  return matchesRequirements(requirementsOfSelector(sel), labels);
}

// metav1.FormatLabelSelector: `app=web,env in (a,b),!legacy`, `<none>` when empty.
export function formatLabelSelector(sel: LabelSelector | undefined): string {
  const reqs = requirementsOfSelector(sel);
  if (reqs.length === 0) return '<none>';
  return formatRequirements(reqs);
}

export function formatRequirements(reqs: readonly Requirement[]): string {
  return [...reqs]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => {
      const values = [...r.values].sort();
      switch (r.op) {
        case 'in':
          return `${r.key} in (${values.join(',')})`;
        case 'notin':
          return `${r.key} notin (${values.join(',')})`;
        case 'exists':
          return r.key;
        case '!':
          return `!${r.key}`;
        case 'gt':
          return `${r.key}>${values[0]}`;
        case 'lt':
          return `${r.key}<${values[0]}`;
        default:
          return `${r.key}${r.op === '==' ? '==' : r.op}${values[0]}`;
      }
    })
    .join(',');
}

// labels.FormatLabels: sorted `k=v` joined by commas, `<none>` when empty.
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

// Field selectors: `metadata.name=x,status.phase!=Running`.
export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

export function parseFieldSelector(text: string): FieldRequirement[] {
  if (text.trim() === '') return [];
  return text.split(',').map((term) => {
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(term.trim());
    if (!m) throw new SelectorParseError(`invalid selector: '${text}'; can't understand '${term}'`);
    return { field: m[1].trim(), op: m[2] === '!=' ? '!=' : '=', value: m[3].trim() };
  });
}
