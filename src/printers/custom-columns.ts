// kubectl get -o custom-columns=SPEC and -o custom-columns-file=FILE
// (k8s.io/kubectl/pkg/cmd/get/customcolumn.go). Produces header and cell
// strings; the caller aligns them with the table tabwriter (minwidth 6,
// tabwidth 4, padding 3), as kubectl does.

import * as fs from 'node:fs';
import {
  findJsonPathResults,
  goSprint,
  JsonPathExecError,
  JsonPathParseError,
  JsonPathTemplate,
  KubectlTemplateError,
  parseJsonPath,
  toGo,
} from './jsonpath';

export interface Column {
  header: string;
  // A complete JSONPath template, e.g. `{.metadata.name}`.
  fieldSpec: string;
}

export interface CustomColumnsTable {
  headers: string[];
  rows: string[][];
}

// An error while printing: kubectl has already written `partial` (the header
// and the rows before the failing object) when it reports it.
export class CustomColumnsPrintError extends KubectlTemplateError {
  constructor(
    message: string,
    readonly partial: CustomColumnsTable,
  ) {
    super(message);
  }
}

const JSON_REGEXP = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/;

// RelaxedJSONPathExpression: accepts `a.b`, `.a.b`, `{a.b}` and `{.a.b}` and
// returns `{.a.b}`; an empty path stays empty.
export function relaxedJsonPathExpression(path: string): string {
  if (path.length === 0) return path;
  const m = JSON_REGEXP.exec(path);
  if (!m) {
    throw new KubectlTemplateError(
      "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
    );
  }
  return `{.${m[1] ?? m[2]}}`;
}

// NewCustomColumnsPrinterFromSpec: comma-separated HEADER:PATH pairs.
export function parseCustomColumnsSpec(spec: string): Column[] {
  if (spec.length === 0) throw new KubectlTemplateError('custom-columns format specified but no custom columns given');
  return spec.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon < 0) throw new KubectlTemplateError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return { header: part.slice(0, colon), fieldSpec: relaxedJsonPathExpression(part.slice(colon + 1)) };
  });
}

// bufio.ScanWords: fields separated by Unicode white space.
function splitOnWhitespace(line: string): string[] {
  return line.split(/[\s\u0085]+/u).filter((w) => w !== '');
}

// NewCustomColumnsPrinterFromTemplate: a line of headers and a line of specs.
export function parseCustomColumnsTemplate(text: string): Column[] {
  // bufio.ScanLines: a final line needs no newline; "\r\n" counts as one.
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n').map((l) => l.replace(/\r$/, ''));
  const format = 'Expected format is one line of space separated headers, one line of space separated column specs.';
  if (lines.length < 1) throw new KubectlTemplateError(`invalid template, missing header line. ${format}`);
  const headers = splitOnWhitespace(lines[0]);
  if (lines.length < 2) throw new KubectlTemplateError(`invalid template, missing spec line. ${format}`);
  const specs = splitOnWhitespace(lines[1]);
  if (headers.length !== specs.length) {
    throw new KubectlTemplateError(`number of headers (${headers.length}) and field specifications (${specs.length}) don't match`);
  }
  return headers.map((header, i) => ({ header, fieldSpec: relaxedJsonPathExpression(specs[i]) }));
}

// Reads FILE for -o custom-columns-file=FILE.
export function readCustomColumnsFile(file: string): Column[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // A directory opens in Go and then reads as nothing.
    if (code === 'EISDIR') return parseCustomColumnsTemplate('');
    const reason = code === 'EACCES' ? 'permission denied' : code === 'ENOTDIR' ? 'not a directory' : 'no such file or directory';
    throw new KubectlTemplateError(`error reading template ${file}, open ${file}: ${reason}\n`);
  }
  return parseCustomColumnsTemplate(text);
}

// printers.EscapeTerminal.
function escapeTerminal(s: string): string {
  return s.replace(/\x1b/g, '^[').replace(/\r/g, '\\r');
}

// CustomColumnsPrinter.PrintObj over the objects of a list (or one object),
// which kubectl get always holds unstructured:
// each cell is the path's values, fmt.Sprint-ed and joined with ",", or
// "<none>". Throws CustomColumnsPrintError for a path that fails to parse or
// evaluate.
export function customColumnsRows(columns: Column[], objects: unknown[]): CustomColumnsTable {
  const table: CustomColumnsTable = { headers: columns.map((c) => c.header), rows: [] };
  const fail = (e: unknown): never => {
    if (e instanceof JsonPathParseError || e instanceof JsonPathExecError) throw new CustomColumnsPrintError(e.message, table);
    throw e;
  };
  let parsers: JsonPathTemplate[] = [];
  try {
    parsers = columns.map((c) => parseJsonPath(c.fieldSpec));
  } catch (e) {
    fail(e);
  }
  for (const obj of objects) {
    const data = toGo(obj);
    const row = parsers.map((p) => {
      let values: ReturnType<typeof findJsonPathResults> = [];
      try {
        values = findJsonPathResults(p, data, { allowMissingKeys: true });
      } catch (e) {
        fail(e);
      }
      const strings: string[] = [];
      if (values.length === 0 || values[0].length === 0) strings.push('<none>');
      for (const group of values) for (const v of group) strings.push(escapeTerminal(goSprint(v)));
      return strings.join(',');
    });
    table.rows.push(row);
  }
  return table;
}

// -o custom-columns=SPEC over a list's objects.
export function customColumns(spec: string, objects: unknown[]): CustomColumnsTable {
  return customColumnsRows(parseCustomColumnsSpec(spec), objects);
}

// -o custom-columns-file=FILE over a list's objects. kubectl prints the
// header line of a custom-columns file even with --no-headers.
export function customColumnsFromFile(file: string, objects: unknown[]): CustomColumnsTable {
  return customColumnsRows(readCustomColumnsFile(file), objects);
}
