// Flag parsing with pflag's semantics and messages, which kubectl users and
// scripts depend on: `--flag=value`, `--flag value`, `-n ns`, `-nns`, `-n=ns`,
// grouped booleans (`-it`), `--watch=false`, flags anywhere among the
// arguments, `--` ending the flags, repeated and comma-separated lists.
// (commander cannot express `--bool=false` with `--bool value` staying a
// positional argument, nor pflag's error texts, so this is done here.)

export type FlagKind = 'bool' | 'string' | 'int' | 'stringArray' | 'stringSlice' | 'duration';

export interface FlagDef {
  name: string;
  short?: string;
  kind: FlagKind;
  default?: string | number | boolean | string[];
  // Value used when the flag is given without one (`--dry-run` means `unchanged`).
  noOptDefVal?: string;
  deprecated?: string;
}

type FlagValue = string | number | boolean | string[];

export class FlagError extends Error {}

export class ParsedFlags {
  readonly values = new Map<string, FlagValue>();
  readonly changed = new Set<string>();

  constructor(readonly defs: Map<string, FlagDef>) {
    for (const def of defs.values()) {
      if (def.default !== undefined) this.values.set(def.name, Array.isArray(def.default) ? [...def.default] : def.default);
      else if (def.kind === 'bool') this.values.set(def.name, false);
      else if (def.kind === 'int' || def.kind === 'duration') this.values.set(def.name, 0);
      else if (def.kind === 'stringArray' || def.kind === 'stringSlice') this.values.set(def.name, []);
      else this.values.set(def.name, '');
    }
  }

  has(name: string): boolean {
    return this.changed.has(name);
  }

  str(name: string): string {
    const v = this.values.get(name);
    return typeof v === 'string' ? v : v === undefined ? '' : String(v);
  }

  bool(name: string): boolean {
    return this.values.get(name) === true;
  }

  int(name: string): number {
    const v = this.values.get(name);
    return typeof v === 'number' ? v : 0;
  }

  // Durations are held in milliseconds.
  duration(name: string): number {
    return this.int(name);
  }

  list(name: string): string[] {
    const v = this.values.get(name);
    return Array.isArray(v) ? v : [];
  }
}

export interface ParseResult {
  flags: ParsedFlags;
  // Every flag given, in order, with its value as set (for --record).
  occurrences: { name: string; value: string }[];
  args: string[];
  // Number of positional arguments before `--`, or -1 without `--` (cobra's ArgsLenAtDash).
  argsLenAtDash: number;
  deprecations: string[];
}

function label(def: FlagDef): string {
  return def.short ? `-${def.short}, --${def.name}` : `--${def.name}`;
}

// Go's time.ParseDuration, in milliseconds.
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let sign = 1;
  let i = 0;
  if (text[0] === '-' || text[0] === '+') {
    sign = text[0] === '-' ? -1 : 1;
    i = 1;
  }
  if (i >= text.length) return undefined;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };
  let total = 0;
  re.lastIndex = i;
  while (re.lastIndex < text.length) {
    const m = re.exec(text);
    if (!m) return undefined;
    total += Number(m[1]) * unit[m[2]];
  }
  return sign * total;
}

function splitCsv(value: string): string[] {
  // pflag reads StringSlice values as one CSV record.
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (quoted) {
      if (ch === '"' && value[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"' && cur === '') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return value === '' ? [] : out;
}

function setValue(flags: ParsedFlags, def: FlagDef, raw: string): void {
  const invalid = (why: string) => new FlagError(`invalid argument "${raw}" for "${label(def)}" flag: ${why}`);
  switch (def.kind) {
    case 'bool': {
      const v = parseBool(raw);
      if (v === undefined) throw invalid(`strconv.ParseBool: parsing "${raw}": invalid syntax`);
      flags.values.set(def.name, v);
      break;
    }
    case 'int': {
      if (!/^[+-]?\d+$/.test(raw.trim()) || raw.trim() !== raw) throw invalid(`strconv.ParseInt: parsing "${raw}": invalid syntax`);
      const n = Number(raw);
      if (!Number.isSafeInteger(n)) throw invalid(`strconv.ParseInt: parsing "${raw}": value out of range`);
      flags.values.set(def.name, n);
      break;
    }
    case 'duration': {
      const ms = parseGoDuration(raw);
      if (ms === undefined) throw invalid(`time: invalid duration "${raw}"`);
      flags.values.set(def.name, ms);
      break;
    }
    case 'stringArray': {
      const prev = flags.changed.has(def.name) ? flags.list(def.name) : [];
      flags.values.set(def.name, [...prev, raw]);
      break;
    }
    case 'stringSlice': {
      const prev = flags.changed.has(def.name) ? flags.list(def.name) : [];
      flags.values.set(def.name, [...prev, ...splitCsv(raw)]);
      break;
    }
    default:
      flags.values.set(def.name, raw);
  }
  flags.changed.add(def.name);
}

export function parseBool(raw: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(raw)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(raw)) return false;
  return undefined;
}

function optDefault(def: FlagDef): string | undefined {
  return def.noOptDefVal ?? (def.kind === 'bool' ? 'true' : undefined);
}

export function parseFlags(argv: readonly string[], defList: readonly FlagDef[]): ParseResult {
  const defs = new Map<string, FlagDef>();
  const shorts = new Map<string, FlagDef>();
  for (const d of defList) {
    defs.set(d.name, d);
    if (d.short) shorts.set(d.short, d);
  }
  const flags = new ParsedFlags(defs);
  const occurrences: { name: string; value: string }[] = [];
  const set = (def: FlagDef, raw: string) => {
    setValue(flags, def, raw);
    occurrences.push({ name: def.name, value: raw });
  };
  const args: string[] = [];
  const deprecations: string[] = [];
  let argsLenAtDash = -1;
  const noteDeprecated = (def: FlagDef) => {
    if (def.deprecated) deprecations.push(`Flag --${def.name} has been deprecated, ${def.deprecated}`);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      argsLenAtDash = args.length;
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const def = defs.get(name);
      if (!def) throw new FlagError(`unknown flag: --${name}`);
      noteDeprecated(def);
      if (eq >= 0) set(def, a.slice(eq + 1));
      else if (optDefault(def) !== undefined) set(def, optDefault(def)!);
      else if (i + 1 < argv.length) set(def, argv[++i]);
      else throw new FlagError(`flag needs an argument: --${name}`);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      // A group of shorthands: `-it`, `-nkube-system`, `-n=x`, `-o yaml`.
      let j = 1;
      while (j < a.length) {
        const ch = a[j];
        const def = shorts.get(ch);
        if (!def) throw new FlagError(`unknown shorthand flag: '${ch}' in ${a}`);
        noteDeprecated(def);
        const rest = a.slice(j + 1);
        if (rest.startsWith('=')) {
          set(def, rest.slice(1));
          break;
        }
        if (optDefault(def) !== undefined) {
          set(def, optDefault(def)!);
          j++;
          continue;
        }
        if (rest.length > 0) {
          set(def, rest);
          break;
        }
        if (i + 1 < argv.length) {
          set(def, argv[++i]);
          break;
        }
        throw new FlagError(`flag needs an argument: '${ch}' in -${ch}`);
      }
      continue;
    }
    args.push(a);
  }
  return { flags, args, argsLenAtDash, deprecations, occurrences };
}

// cobra's stripFlags: which arguments name sub-commands. A `--flag` without `=`
// that is not known to take no value is assumed to consume the next argument.
export function commandWords(argv: readonly string[], known: readonly FlagDef[]): string[] {
  const noValue = new Set<string>();
  const noValueShort = new Set<string>();
  for (const d of known) {
    if (optDefault(d) !== undefined) {
      noValue.add(d.name);
      if (d.short) noValueShort.add(d.short);
    }
  }
  const words: string[] = [];
  const rest = [...argv];
  while (rest.length > 0) {
    const s = rest.shift()!;
    if (s === '--') break;
    const takesNext =
      (s.startsWith('--') && !s.includes('=') && !noValue.has(s.slice(2))) ||
      (s.startsWith('-') && !s.startsWith('--') && !s.includes('=') && s.length === 2 && !noValueShort.has(s.slice(1)));
    if (takesNext) {
      if (rest.length <= 1) break;
      rest.shift();
      continue;
    }
    if (s !== '' && !s.startsWith('-')) words.push(s);
  }
  return words;
}
