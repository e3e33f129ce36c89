import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { CliError } from '../../errors';
import { goJsonSorted } from './go-structs';

// The data sources of `create configmap` and `create secret`: --from-file (files and
// directories), --from-literal and --from-env-file, with kubectl's parsing rules and
// messages (pkg/util, pkg/cmd/util/env_file.go), and --append-hash.

// Go's texts for the system errors a file read can meet.
const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
};

// The bare system error (Go's PathError.Err).
export function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return ERRNO_TEXT[code] ?? (e instanceof Error ? e.message : String(e));
}

// A *PathError as Go prints it: `open /x: no such file or directory`.
export function pathError(op: string, file: string, e: unknown): string {
  return `${op} ${file}: ${errnoText(e)}`;
}

export function readFileOrThrow(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new CliError(`error: ${pathError((e as NodeJS.ErrnoException).code === 'EISDIR' ? 'read' : 'open', file, e)}`);
  }
}

function statOrThrow(file: string): fs.Stats {
  try {
    return fs.statSync(file);
  } catch (e) {
    throw new CliError(`error: error reading ${file}: ${errnoText(e)}`);
  }
}

// util.ParseFileSource: `path` (the key is its base name) or `key=path`.
export function parseFileSource(source: string): { key: string; file: string } {
  const separators = source.split('=').length - 1;
  if (separators === 0) {
    const trimmed = source.replace(/\/+$/, '');
    return { key: trimmed === '' ? (source === '' ? '.' : '/') : trimmed.slice(trimmed.lastIndexOf('/') + 1), file: source };
  }
  if (separators === 1 && source.startsWith('=')) throw new CliError(`error: key name for file path ${source.slice(1)} missing`);
  if (separators === 1 && source.endsWith('=')) throw new CliError(`error: file path for key name ${source.slice(0, -1)} missing`);
  if (separators > 1) throw new CliError("error: key names or file paths cannot contain '='");
  const [key, file] = source.split('=');
  return { key, file };
}

// util.ParseLiteralSource: `key=value`, the value may contain `=`.
export function parseLiteralSource(source: string): { key: string; value: string } {
  const eq = source.indexOf('=');
  if (eq <= 0) throw new CliError(`error: invalid literal source ${source}, expected key=value`);
  return { key: source.slice(0, eq), value: source.slice(eq + 1) };
}

// Each --from-file source: a file's content under its key, or every regular file of
// a directory under its own name (in name order, as os.ReadDir lists them).
export function readFileSources(sources: readonly string[], add: (key: string, data: Buffer) => void): void {
  for (const source of sources) {
    const { key, file } = parseFileSource(source);
    if (!statOrThrow(file).isDirectory()) {
      add(key, readFileOrThrow(file));
      continue;
    }
    if (source.includes('=')) throw new CliError('error: cannot give a key name for a directory path');
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(file, { withFileTypes: true });
    } catch (e) {
      throw new CliError(`error: error listing files in ${file}: ${pathError('open', file, e)}`);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.isFile()) add(entry.name, readFileOrThrow(path.join(file, entry.name)));
    }
  }
}

const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

// validation.IsEnvVarName.
export function envVarNameErrors(name: string): string[] {
  const errs: string[] = [];
  if (!ENV_VAR_NAME.test(name)) {
    errs.push(
      "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
    );
  }
  if (name === '.') errs.push("must not be '.'");
  else if (name === '..') errs.push("must not be '..'");
  else if (name.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

// Valid UTF-8 as a string, or undefined (Go's utf8.Valid).
export function utf8Text(data: Buffer): string | undefined {
  try {
    return UTF8.decode(data);
  } catch {
    return undefined;
  }
}

// cmdutil.AddFromEnvFile: `KEY=value` lines; blank lines and `#` comments skipped,
// leading white space trimmed, a bare `KEY` takes its value from the environment.
export function readEnvFile(file: string, env: NodeJS.ProcessEnv, add: (key: string, value: string) => void, dirMessage: string): void {
  if (statOrThrow(file).isDirectory()) throw new CliError(`error: ${dirMessage}`);
  const data = readFileOrThrow(file);
  const lines = data.length === 0 ? [] : splitLines(data);
  lines.forEach((line, i) => {
    const text = utf8Text(line);
    if (text === undefined) {
      throw new CliError(`error: env file ${file} contains invalid utf8 bytes at line ${i + 1}: [${[...line].join(' ')}]`);
    }
    let s = text;
    if (i === 0 && s.startsWith('\ufeff')) s = s.slice(1);
    s = s.replace(/^[\s\u0085\u00a0]+/u, '');
    if (s === '' || s.startsWith('#')) return;
    const eq = s.indexOf('=');
    const key = eq < 0 ? s : s.slice(0, eq);
    const errs = envVarNameErrors(key);
    if (errs.length > 0) throw new CliError(`error: ${JSON.stringify(key)} is not a valid key name: ${errs.join(';')}`);
    add(key, eq < 0 ? (env[key] ?? '') : s.slice(eq + 1));
  });
}

// bufio.ScanLines: split at \n, drop one trailing \r per line, no empty last line.
function splitLines(data: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0x0a) {
      out.push(stripCR(data.subarray(start, i)));
      start = i + 1;
    }
  }
  if (start < data.length) out.push(stripCR(data.subarray(start)));
  return out;
}

function stripCR(b: Buffer): Buffer {
  return b.length > 0 && b[b.length - 1] === 0x0d ? b.subarray(0, b.length - 1) : b;
}

// hash.encodeHash over the sha256 of the object's JSON: ten hex digits with the
// vowel-like ones replaced so no words form.
export function contentHash(encoded: Record<string, unknown>): string {
  const hex = createHash('sha256').update(goJsonSorted(encoded)).digest('hex').slice(0, 10);
  const swap: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return hex.replace(/[013ae]/g, (c) => swap[c]);
}
