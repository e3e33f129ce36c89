import type { KubeObject } from '../../api/types';
import type { Writer } from './engine';
import { LEVEL_0, goValue, tabbed } from './engine';
import type { DescribeContext } from './common';
import { eventRef, printHeader, writeEvents } from './common';

// kubectl's generic describer, for kinds without a describer of their own:
// Name, Namespace, Labels, Annotations, then every field of the object with
// labels made from the field names (`apiVersion` -> `API Version`).

const ACRONYMS = ['API', 'URL', 'UID', 'OSB', 'GUID'];

type RuneClass = 'lower' | 'upper' | 'digit' | 'other';

function runeClass(ch: string): RuneClass {
  if (/\p{Ll}/u.test(ch)) return 'lower';
  if (/\p{Lu}/u.test(ch)) return 'upper';
  if (/\p{Nd}/u.test(ch)) return 'digit';
  return 'other';
}

// fatih/camelcase.Split: runs of one character class; an upper-case run
// followed by lower case gives its last letter to the next word (`PDFLoader`).
function camelSplit(s: string): string[] {
  const runs: string[][] = [];
  let last: RuneClass | undefined;
  for (const ch of s) {
    const c = runeClass(ch);
    if (c === last) runs[runs.length - 1].push(ch);
    else runs.push([ch]);
    last = c;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    if (runeClass(runs[i][0]) === 'upper' && runeClass(runs[i + 1][0]) === 'lower') {
      runs[i + 1].unshift(runs[i].pop()!);
    }
  }
  return runs.filter((r) => r.length > 0).map((r) => r.join(''));
}

export function smartLabelFor(field: string): string {
  if ([...field].some((ch) => ch !== '-' && !/\p{L}/u.test(ch))) return field;
  return camelSplit(field)
    .filter((part) => part !== '_')
    .map((part) => (ACRONYMS.includes(part.toUpperCase()) ? part.toUpperCase() : part.charAt(0).toUpperCase() + part.slice(1)))
    .join(' ');
}

// Go's `%v` of a float64 (strconv 'g', shortest): exponent form below 1e-4 or from 1e21.
function goScalar(v: unknown): string {
  if (typeof v !== 'number' || Number.isInteger(v)) return goValue(v);
  const [mantissa, exp] = v.toExponential().split('e');
  const e = Number(exp);
  if (e < -4 || e >= 21) return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return String(v);
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// printUnstructuredContent.
function printContent(w: Writer, level: number, content: Record<string, unknown>, skipPrefix: string, skip: readonly string[]): void {
  for (const field of Object.keys(content).sort()) {
    const value = content[field];
    const skipExpr = `${skipPrefix}.${field}`;
    if (skip.includes(skipExpr)) continue;
    const label = smartLabelFor(field);
    if (isMap(value)) {
      w.write(level, `${label}:\n`);
      printContent(w, level + 1, value, skipExpr, skip);
    } else if (Array.isArray(value)) {
      w.write(level, `${label}:\n`);
      for (const child of value) {
        if (isMap(child)) printContent(w, level + 1, child, skipExpr, skip);
        else w.write(level + 1, `${goScalar(child)}\n`);
      }
    } else {
      w.write(level, `${label}:\t${goScalar(value)}\n`);
    }
  }
}

const SKIP = ['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations'];

export function describeGeneric(obj: KubeObject, ctx: DescribeContext): string {
  return tabbed((w) => {
    printHeader(w, obj);
    printContent(w, LEVEL_0, obj as unknown as Record<string, unknown>, '', SKIP);
    writeEvents(w, ctx, eventRef(obj));
  });
}
