import * as fs from 'node:fs';
import type { KubeObject } from '../api/types';
import type { KindInfo } from '../api/kinds';
import { kindPrefix } from '../api/kinds';
import { CliError } from './errors';
import type { FlagDef, ParsedFlags } from './flags';
import { toYaml } from '../printers/yaml';
import type { Json } from '../util/json';
import { toJson } from '../printers/json';
import { executeJsonPath, jsonPathAsJson } from '../printers/jsonpath';
import { executeGoTemplate } from '../printers/gotemplate';

// kubectl's PrintFlags: `-o` and its friends, and how one object is printed
// after a command changed it (`deployment.apps/web created`, or the object).

export const OUTPUT_FLAGS: FlagDef[] = [
  { name: 'output', short: 'o', kind: 'string' },
  { name: 'template', kind: 'string' },
  { name: 'allow-missing-template-keys', kind: 'bool', default: true },
  { name: 'show-managed-fields', kind: 'bool' },
];

export type Format =
  | { kind: 'default' }
  | { kind: 'yaml' }
  | { kind: 'json' }
  | { kind: 'name' }
  | { kind: 'jsonpath'; template: string; asJson: boolean }
  | { kind: 'go-template'; template: string };

const TEMPLATE_FORMATS = ['go-template', 'go-template-file', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file', 'template', 'templatefile'];
const OBJECT_FORMATS = ['json', 'name', 'yaml'];

export function allowedFormats(extra: string[] = []): string {
  return [...TEMPLATE_FORMATS, ...OBJECT_FORMATS, ...extra].sort().join(',');
}

function readTemplateFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`error reading --template ${file}, open ${file}: no such file or directory`);
  }
}

// Parses `-o`; `extraFormats` are the formats only some commands know (wide, custom-columns).
export function parseFormat(flags: ParsedFlags, extraFormats: string[] = []): Format & { raw: string } {
  let raw = flags.str('output');
  if (raw === '' && flags.str('template') !== '') raw = 'go-template';
  const eq = raw.indexOf('=');
  const name = eq < 0 ? raw : raw.slice(0, eq);
  let arg = eq < 0 ? '' : raw.slice(eq + 1);
  if (!arg && flags.str('template')) arg = flags.str('template');
  switch (name) {
    case '':
      return { kind: 'default', raw };
    case 'yaml':
    case 'json':
    case 'name':
      return { kind: name, raw };
    case 'jsonpath':
    case 'jsonpath-as-json':
    case 'jsonpath-file': {
      const template = name === 'jsonpath-file' ? readTemplateFile(arg) : arg;
      if (!template) throw new CliError('template format specified but no template given');
      return { kind: 'jsonpath', template, asJson: name === 'jsonpath-as-json', raw };
    }
    case 'go-template':
    case 'template':
    case 'go-template-file':
    case 'templatefile': {
      const template = name.endsWith('file') ? readTemplateFile(arg) : arg;
      if (!template) throw new CliError('template format specified but no template given');
      return { kind: 'go-template', template, raw };
    }
    default:
      if (extraFormats.includes(name)) return { kind: 'default', raw };
      throw new CliError(
        `unable to match a printer suitable for the output format "${raw}", allowed formats are: ${allowedFormats(extraFormats)}`,
      );
  }
}

// What kubectl prints with -o yaml|json: managedFields hidden, keys sorted.
export function forDisplay(obj: KubeObject, flags?: ParsedFlags): KubeObject {
  if (flags?.bool('show-managed-fields') || !obj.metadata?.managedFields) return obj;
  const copy = { ...obj, metadata: { ...obj.metadata } };
  delete copy.metadata.managedFields;
  return copy;
}

export function nameOf(info: KindInfo | undefined, obj: KubeObject): string {
  const prefix = info ? kindPrefix(info) : obj.kind.toLowerCase();
  return `${prefix}/${obj.metadata?.name || '<unknown>'}`;
}

// Renders `data` (an object or a List) in a non-table format. `sortKeys`
// false means a typed, client-generated object: Go struct order, and numbers
// as a typed object's interface{} decoding gives them (floats).
export function renderObject(format: Format, data: unknown, sortKeys = true, allowMissing = true): string {
  switch (format.kind) {
    case 'yaml':
      return toYaml(data as Json);
    case 'json':
      return toJson(data as Json, { sortKeys });
    case 'jsonpath':
      return format.asJson
        ? jsonPathAsJson(format.template, data, { floatNumbers: !sortKeys })
        : executeJsonPath(format.template, data, { allowMissingKeys: allowMissing, floatNumbers: !sortKeys });
    case 'go-template':
      return executeGoTemplate(format.template, data, { allowMissingKeys: allowMissing, rawDataKeyOrder: sortKeys ? 'sorted' : 'insertion' });
    default:
      throw new Error(`no object renderer for ${format.kind}`);
  }
}

// After a mutation: `-o name` prints kind/name, other -o formats the object,
// and no -o the name with the operation (`created`, `configured (dry run)`).
export function printOperation(
  format: Format,
  info: KindInfo | undefined,
  obj: KubeObject,
  operation: string,
  opts: { sortKeys?: boolean; index?: number } = {},
): string {
  if (format.kind === 'default') return `${nameOf(info, obj)} ${operation}\n`;
  if (format.kind === 'name') return `${nameOf(info, obj)}\n`;
  const text = renderObject(format, forDisplay(obj), opts.sortKeys ?? true);
  if (format.kind === 'yaml' && (opts.index ?? 0) > 0) return `---\n${text}`;
  return text;
}

export function dryRunSuffix(mode: DryRun): string {
  return mode === 'client' ? ' (dry run)' : mode === 'server' ? ' (server dry run)' : '';
}

export type DryRun = 'none' | 'client' | 'server';

export const DRY_RUN_FLAG: FlagDef = { name: 'dry-run', kind: 'string', default: 'none', noOptDefVal: 'unchanged' };

export function parseDryRun(flags: ParsedFlags, warn: (s: string) => void): DryRun {
  const v = flags.str('dry-run');
  if (v === 'unchanged') {
    warn('--dry-run is deprecated and can be replaced with --dry-run=client.');
    return 'client';
  }
  if (v === 'none' || v === 'client' || v === 'server' || v === '') return v === '' ? 'none' : v;
  if (v === 'true') return 'client';
  if (v === 'false') return 'none';
  throw new CliError(`Invalid dry-run value (${v}). Must be "none", "server", or "client".`);
}
