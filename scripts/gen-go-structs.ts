// Generates src/cli/verbs/create/go-structs.json: the Go struct layout (JSON field
// order, omitempty, inline, field types) of the Kubernetes API types kubectl builds
// or decodes into typed structs. kubectl prints typed objects with -o json in struct
// field order, drops fields the type does not know, and prints the zero value of
// fields without omitempty; kubemu replays that from this table.
//
// Usage (checkouts of k8s.io/api and k8s.io/apimachinery at the kubectl release's tags,
// e.g. v0.32.1):
//   node dist/scripts/gen-go-structs.js <k8s.io/api dir> <k8s.io/apimachinery dir> \
//     > src/cli/verbs/create/go-structs.json
import * as fs from 'node:fs';
import * as path from 'node:path';

// Package ids used in the table, by Go import path.
const PACKAGES: Record<string, string> = {
  'k8s.io/api/core/v1': 'core',
  'k8s.io/api/apps/v1': 'apps',
  'k8s.io/api/batch/v1': 'batch',
  'k8s.io/api/rbac/v1': 'rbac',
  'k8s.io/api/networking/v1': 'networking',
  'k8s.io/api/policy/v1': 'policy',
  'k8s.io/apimachinery/pkg/apis/meta/v1': 'meta',
};

// Types with their own JSON marshalling: kept as they are, with a known zero value.
const OPAQUE = new Set([
  'meta.Time',
  'meta.MicroTime',
  'meta.Duration',
  'meta.FieldsV1',
  'intstr.IntOrString',
  'resource.Quantity',
  'runtime.RawExtension',
]);
const PRIMITIVE_ALIASES: Record<string, string> = { 'types.UID': 'string', 'types.NodeName': 'string' };
const BUILTINS = new Set(['string', 'bool', 'int', 'int32', 'int64', 'uint16', 'uint32', 'uint64', 'float64', 'byte']);

type Field = [name: string, type: string, flags: string];

interface Pkg {
  id: string;
  structs: Map<string, RawField[]>;
  named: Map<string, string>; // type X <underlying>, with the declaring file's imports
  imports: Map<string, Map<string, string>>; // type name -> alias -> package id
}

interface RawField {
  goName: string;
  type: string;
  tag: string;
}

function stripComment(line: string): string {
  let inTick = false;
  let inQuote = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '`' && !inQuote) inTick = !inTick;
    else if (c === '"' && !inTick && line[i - 1] !== '\\') inQuote = !inQuote;
    else if (!inTick && !inQuote && c === '/' && line[i + 1] === '/') return line.slice(0, i);
  }
  return line;
}

function parseFile(file: string, pkg: Pkg): void {
  const src = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  const lines = src.split('\n').map(stripComment);
  const imports = new Map<string, string>();
  const importBlock = /^import \(([\s\S]*?)^\)/m.exec(lines.join('\n'));
  for (const m of (importBlock?.[1] ?? '').matchAll(/^\s*(\w+)?\s*"([^"]+)"/gm)) {
    const alias = m[1] ?? m[2].split('/').pop()!;
    const id = PACKAGES[m[2]] ?? m[2].split('/').pop()!;
    imports.set(alias, id);
  }
  for (let i = 0; i < lines.length; i++) {
    const start = /^type (\w+) struct \{\s*$/.exec(lines[i]);
    if (start) {
      const fields: RawField[] = [];
      let depth = 1;
      for (i++; i < lines.length && depth > 0; i++) {
        const l = lines[i].trim();
        if (l === '}') {
          depth--;
          continue;
        }
        if (l.endsWith('{')) depth++;
        if (depth !== 1 || l === '') continue;
        const m = /^(?:(\w+)\s+)?([^\s`]+)\s*(`[^`]*`)?$/.exec(l);
        if (!m) throw new Error(`${file}: cannot parse field line: ${l}`);
        fields.push({ goName: m[1] ?? '', type: m[2], tag: m[3] ?? '' });
      }
      i--;
      pkg.structs.set(start[1], fields);
      pkg.imports.set(start[1], imports);
      continue;
    }
    const named = /^type (\w+) =? ?([^\s{]+)\s*$/.exec(lines[i]);
    if (named) {
      pkg.named.set(named[1], named[2]);
      pkg.imports.set(named[1], imports);
    }
  }
}

function loadPackage(id: string, dir: string): Pkg {
  const pkg: Pkg = { id, structs: new Map(), named: new Map(), imports: new Map() };
  for (const f of fs.readdirSync(dir).sort()) {
    if (f.endsWith('.go') && !f.endsWith('_test.go') && !f.startsWith('zz_generated') && !f.startsWith('generated.')) {
      parseFile(path.join(dir, f), pkg);
    }
  }
  return pkg;
}

function main(): void {
  const [apiDir, machineryDir] = process.argv.slice(2);
  if (!apiDir || !machineryDir) throw new Error('usage: gen-go-structs <k8s.io/api dir> <k8s.io/apimachinery dir>');
  const pkgs = new Map<string, Pkg>();
  for (const [importPath, id] of Object.entries(PACKAGES)) {
    const dir = importPath.startsWith('k8s.io/api/')
      ? path.join(apiDir, importPath.slice('k8s.io/api/'.length))
      : path.join(machineryDir, importPath.slice('k8s.io/apimachinery/'.length));
    pkgs.set(id, loadPackage(id, dir));
  }

  // Resolves a Go type expression written in `pkg` (by type `owner`) to the table's notation.
  const resolve = (expr: string, pkg: Pkg, owner: string): string => {
    if (expr.startsWith('*')) return `*${resolve(expr.slice(1), pkg, owner)}`;
    if (expr === '[]byte') return 'bytes';
    if (expr.startsWith('[]')) return `[]${resolve(expr.slice(2), pkg, owner)}`;
    const map = /^map\[([^\]]+)\](.+)$/.exec(expr);
    if (map) return `map[string]${resolve(map[2], pkg, owner)}`;
    if (BUILTINS.has(expr)) return expr;
    let id = pkg.id;
    let name = expr;
    const dot = expr.indexOf('.');
    if (dot >= 0) {
      const alias = expr.slice(0, dot);
      id = pkg.imports.get(owner)?.get(alias) ?? alias;
      name = expr.slice(dot + 1);
    }
    const full = `${id}.${name}`;
    if (OPAQUE.has(full)) return full;
    if (PRIMITIVE_ALIASES[full]) return PRIMITIVE_ALIASES[full];
    const target = pkgs.get(id);
    if (target?.structs.has(name)) return full;
    const underlying = target?.named.get(name);
    if (underlying) return resolve(underlying, target!, name);
    throw new Error(`unresolved type ${expr} (in ${pkg.id}.${owner})`);
  };

  const table: Record<string, Field[]> = {};
  for (const pkg of pkgs.values()) {
    for (const [name, raw] of pkg.structs) {
      const fields: Field[] = [];
      let ok = true;
      for (const f of raw) {
        const json = /json:"([^"]*)"/.exec(f.tag)?.[1];
        if (json === '-') continue;
        const [jsonName, ...opts] = (json ?? '').split(',');
        const embedded = f.goName === '';
        if (!embedded && json === undefined) continue; // no JSON tag: not part of the API (never in these packages)
        let type: string;
        try {
          type = resolve(f.type, pkg, name);
        } catch {
          ok = false;
          break;
        }
        if (opts.includes('inline') || (embedded && jsonName === '')) fields.push(['', type, 'inline']);
        else fields.push([jsonName || f.goName, type, opts.includes('omitempty') ? 'omitempty' : '']);
      }
      if (ok) table[`${pkg.id}.${name}`] = fields;
    }
  }
  process.stdout.write(`${JSON.stringify(table)}\n`);
}

main();
