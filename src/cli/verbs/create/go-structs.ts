import type { JsonObject } from '../../../util/json';
import { isObject } from '../../../util/json';
import { compareGoStrings, jsonString } from '../../../printers/json';
import { goJsonKind } from '../../../api/jsonpatch';
import TABLE from './go-structs.json';

// Typed objects as kubectl's Go code sees them. The objects kubectl builds itself
// (`create <generator>`, `run`) and those its typed clients decode from the server
// are Go structs: encoding/json prints their fields in declaration order, sorts the
// keys of Go maps, prints the zero value of fields without `omitempty` (`resources:
// {}`, `creationTimestamp: null`, `status: {}`), leaves out empty `omitempty` fields
// and drops fields the type does not have. go-structs.json (scripts/gen-go-structs.ts)
// holds the layout of the API types; this module encodes a plain JSON value as if it
// had been decoded into such a struct and encoded again.

// [json name ('' for an inlined struct), type, 'omitempty' | 'inline' | '']
type FieldSpec = [string, string, string];
const STRUCTS = TABLE as unknown as Record<string, FieldSpec[]>;

// The package id of an API group in the table.
const GROUP_PACKAGES: Record<string, string> = {
  '': 'core',
  apps: 'apps',
  batch: 'batch',
  'rbac.authorization.k8s.io': 'rbac',
  'networking.k8s.io': 'networking',
  policy: 'policy',
};

// The table's type for an object's apiVersion and kind, if it knows the type.
export function goTypeOf(obj: { apiVersion?: unknown; kind?: unknown }): string | undefined {
  if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') return undefined;
  const slash = obj.apiVersion.indexOf('/');
  const pkg = GROUP_PACKAGES[slash < 0 ? '' : obj.apiVersion.slice(0, slash)];
  const type = pkg ? `${pkg}.${obj.kind}` : undefined;
  return type && STRUCTS[type] ? type : undefined;
}

// Values of types with their own JSON marshalling, when the field is absent.
const OPAQUE_ZERO: Record<string, string> = {
  'meta.Time': 'null',
  'meta.MicroTime': 'null',
  'meta.Duration': '"0s"',
  'meta.FieldsV1': 'null',
  'intstr.IntOrString': '0',
  'resource.Quantity': '"0"',
  'runtime.RawExtension': 'null',
};

const NUMBERS = new Set(['int', 'int32', 'int64', 'uint16', 'uint32', 'uint64', 'float64', 'byte']);

// encoding/json's omitempty: false, 0, "", nil pointers and empty slices, maps and
// strings. Structs (including Time, IntOrString, Quantity) are never empty.
function isEmpty(v: unknown, type: string): boolean {
  if (type.startsWith('*')) return v === null || v === undefined;
  if (type.startsWith('[]') || type.startsWith('map[') || type === 'bytes') {
    if (v === null || v === undefined) return true;
    if (Array.isArray(v)) return v.length === 0;
    if (isObject(v)) return Object.keys(v).length === 0;
    return v === '';
  }
  if (type === 'string') return v === undefined || v === null || v === '';
  if (type === 'bool') return v === undefined || v === null || v === false;
  if (NUMBERS.has(type)) return v === undefined || v === null || v === 0;
  return false;
}

class Encoder {
  constructor(private readonly indent: string) {}

  private nl(depth: number): string {
    return this.indent ? `\n${this.indent.repeat(depth)}` : '';
  }

  private get colon(): string {
    return this.indent ? ': ' : ':';
  }

  private object(entries: [string, () => string][], depth: number): string {
    if (entries.length === 0) return '{}';
    const inner = this.nl(depth + 1);
    return `{${entries.map(([k, v]) => `${inner}${jsonString(k)}${this.colon}${v()}`).join(',')}${this.nl(depth)}}`;
  }

  private array(items: (() => string)[], depth: number): string {
    if (items.length === 0) return '[]';
    const inner = this.nl(depth + 1);
    return `[${items.map((f) => `${inner}${f()}`).join(',')}${this.nl(depth)}]`;
  }

  // A value of no known type (raw extensions, unknown kinds): maps sorted as Go
  // sorts map[string]interface{}, unless `keepOrder` (raw JSON kept as written).
  untyped(v: unknown, depth: number, keepOrder = false): string {
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'string') return jsonString(v);
    if (typeof v === 'number') return String(v);
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (Array.isArray(v)) return this.array(v.map((x) => () => this.untyped(x, depth + 1, keepOrder)), depth);
    const o = v as JsonObject;
    const keys = keepOrder ? Object.keys(o) : Object.keys(o).sort(compareGoStrings);
    return this.object(
      keys.filter((k) => o[k] !== undefined).map((k) => [k, () => this.untyped(o[k], depth + 1, keepOrder)]),
      depth,
    );
  }

  typed(v: unknown, type: string, depth: number): string {
    if (type.startsWith('*')) return v === null || v === undefined ? 'null' : this.typed(v, type.slice(1), depth);
    if (type.startsWith('[]')) {
      if (!Array.isArray(v)) return 'null';
      const elem = type.slice(2);
      return this.array(v.map((x) => () => this.typed(x, elem, depth + 1)), depth);
    }
    if (type.startsWith('map[string]')) {
      if (!isObject(v)) return 'null';
      const elem = type.slice('map[string]'.length);
      const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort(compareGoStrings);
      return this.object(keys.map((k) => [k, () => this.typed(v[k], elem, depth + 1)]), depth);
    }
    if (type === 'bytes') return typeof v === 'string' ? jsonString(v) : 'null';
    if (type === 'string') return jsonString(typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
    if (type === 'bool') return v === true ? 'true' : 'false';
    if (NUMBERS.has(type)) return typeof v === 'number' ? String(v) : '0';
    if (type in OPAQUE_ZERO) {
      if (v === undefined || v === null) return OPAQUE_ZERO[type];
      return this.untyped(v, depth, type === 'runtime.RawExtension' || type === 'meta.FieldsV1');
    }
    const fields = STRUCTS[type];
    if (!fields) return this.untyped(v, depth);
    return this.object(this.fields(isObject(v) ? v : {}, type, depth), depth);
  }

  // A struct's fields in declaration order, inlined structs flattened in place.
  private fields(v: JsonObject, type: string, depth: number): [string, () => string][] {
    const out: [string, () => string][] = [];
    for (const [name, ftype, flags] of STRUCTS[type] ?? []) {
      if (flags === 'inline') {
        out.push(...this.fields(v, ftype, depth));
        continue;
      }
      const fv = v[name];
      if (flags === 'omitempty' && isEmpty(fv, ftype)) continue;
      out.push([name, () => this.typed(fv, ftype, depth + 1)]);
    }
    return out;
  }
}

// json.MarshalIndent(obj, "", "    ") of `value` decoded into Go type `type`, plus the
// newline kubectl's JSON printer adds.
export function goJsonIndent(value: unknown, type: string): string {
  return `${new Encoder('    ').typed(value, type, 0)}\n`;
}

// json.Marshal of `value` decoded into Go type `type`.
export function goJsonCompact(value: unknown, type: string): string {
  return new Encoder('').typed(value, type, 0);
}

// json.Marshal of an untyped value (map[string]interface{}): keys sorted.
export function goJsonSorted(value: unknown): string {
  return new Encoder('').untyped(value, 0);
}

// `value` as Go holds it after decoding into `type`: unknown fields gone, zero values
// of non-omitempty fields present, empty omitempty fields absent.
export function goNormalize<T>(value: T, type: string): T {
  return JSON.parse(goJsonCompact(value, type)) as T;
}

// Go's spelling of a table type in error messages: `v1.PodSpec`, `[]v1.Container`.
function goTypeName(type: string): string {
  if (type.startsWith('*')) return `*${goTypeName(type.slice(1))}`;
  if (type.startsWith('[]')) return `[]${goTypeName(type.slice(2))}`;
  if (type.startsWith('map[string]')) return `map[string]${goTypeName(type.slice('map[string]'.length))}`;
  if (type === 'bytes') return '[]uint8';
  const dot = type.indexOf('.');
  if (dot < 0) return type;
  const pkg = type.slice(0, dot);
  return `${pkg === 'intstr' || pkg === 'resource' || pkg === 'runtime' ? pkg : 'v1'}.${type.slice(dot + 1)}`;
}

const INT_RANGES: Record<string, [number, number]> = {
  int32: [-2147483648, 2147483647],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  int: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint16: [0, 65535],
  uint32: [0, 4294967295],
  uint64: [0, Number.MAX_SAFE_INTEGER],
  byte: [0, 255],
};

// The error json.Unmarshal reports when `value` does not fit Go type `type` (named
// `root`), or undefined: `json: cannot unmarshal string into Go struct field
// Pod.spec of type v1.PodSpec` (the struct declaring the field, then the field's path
// from the root). Types with their own decoding are not checked.
export function goDecodeError(value: unknown, type: string, root: string): string | undefined {
  const fail = (v: unknown, where: Where, t: string): string => {
    const shown = typeof v === 'number' && (t in INT_RANGES || t === 'float64') ? `number ${v}` : goJsonKind(v);
    const place = where.path.length > 0 ? `Go struct field ${where.struct}.${where.path.join('.')}` : 'Go value';
    return `json: cannot unmarshal ${shown} into ${place} of type ${goTypeName(t)}`;
  };
  const check = (v: unknown, t: string, where: Where): string | undefined => {
    if (v === null || v === undefined) return undefined;
    if (t.startsWith('*')) return check(v, t.slice(1), where);
    if (t.startsWith('[]')) {
      if (!Array.isArray(v)) return fail(v, where, t);
      for (const x of v) {
        const e = check(x, t.slice(2), where);
        if (e) return e;
      }
      return undefined;
    }
    if (t.startsWith('map[string]')) {
      if (!isObject(v)) return fail(v, where, t);
      for (const x of Object.values(v)) {
        const e = check(x, t.slice('map[string]'.length), where);
        if (e) return e;
      }
      return undefined;
    }
    if (t === 'string' || t === 'bytes') return typeof v === 'string' ? undefined : fail(v, where, t);
    if (t === 'bool') return typeof v === 'boolean' ? undefined : fail(v, where, t);
    if (t === 'float64') return typeof v === 'number' ? undefined : fail(v, where, t);
    const range = INT_RANGES[t];
    if (range) return typeof v === 'number' && Number.isInteger(v) && v >= range[0] && v <= range[1] ? undefined : fail(v, where, t);
    if (!STRUCTS[t]) return undefined;
    if (!isObject(v)) return fail(v, where, t);
    return checkFields(v, t, t.slice(t.indexOf('.') + 1), where.path);
  };
  // Fields of inlined structs are the outer struct's own.
  const checkFields = (v: JsonObject, t: string, struct: string, path: string[]): string | undefined => {
    for (const [name, ftype, flags] of STRUCTS[t] ?? []) {
      const e = flags === 'inline' ? checkFields(v, ftype, struct, path) : check(v[name], ftype, { struct, path: [...path, name] });
      if (e) return e;
    }
    return undefined;
  };
  return check(value, type, { struct: root, path: [] });
}

interface Where {
  struct: string;
  path: string[];
}
