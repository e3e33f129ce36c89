import type { Json, JsonObject } from '../../util/json';
import { isObject } from '../../util/json';
import { KustomizeError } from './errors';

// Go's encoding/json decoding into a typed struct with DisallowUnknownFields,
// for the kustomization file: the same first error (`json: unknown field
// "x"`, `json: cannot unmarshal number into Go struct field
// Kustomization.namePrefix of type string`), found in the same order (keys
// sorted, as sigs.k8s.io/yaml hands them over), and the value with only the
// struct's fields, nulls left out as Go leaves fields at their zero value.

export type GoType =
  | { k: 'string' }
  | { k: 'bool' }
  | { k: 'int'; name: string }
  | { k: 'slice'; elem: GoType; ptrElem?: boolean }
  | { k: 'map'; elem: GoType }
  | { k: 'any' }
  | { k: 'struct'; name: string; fields: () => Record<string, GoType> };

export const str: GoType = { k: 'string' };
export const bool: GoType = { k: 'bool' };
export const int64: GoType = { k: 'int', name: 'int64' };
export const int: GoType = { k: 'int', name: 'int' };
export const any: GoType = { k: 'any' };
export const slice = (elem: GoType, ptrElem = false): GoType => ({ k: 'slice', elem, ptrElem });
export const map = (elem: GoType): GoType => ({ k: 'map', elem });
export const struct = (name: string, fields: () => Record<string, GoType>): GoType => ({ k: 'struct', name, fields });

function typeName(t: GoType): string {
  switch (t.k) {
    case 'string':
      return 'string';
    case 'bool':
      return 'bool';
    case 'int':
      return t.name;
    case 'slice':
      return `[]${t.ptrElem ? '*' : ''}${typeName(t.elem)}`;
    case 'map':
      return `map[string]${typeName(t.elem)}`;
    case 'any':
      return 'interface {}';
    case 'struct':
      return `types.${t.name}`;
  }
}

function jsonKind(v: Json): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

// Go's float formatting in JSON (what the number looked like on the wire).
function numberText(n: number): string {
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return String(n);
}

interface Ctx {
  struct?: string;
  stack: string[];
  error?: KustomizeError;
}

function fail(ctx: Ctx, what: string, t: GoType): void {
  if (ctx.error) return;
  const type = typeName(t);
  ctx.error = new KustomizeError(
    ctx.struct ? `json: cannot unmarshal ${what} into Go struct field ${ctx.struct}.${ctx.stack.join('.')} of type ${type}` : `json: cannot unmarshal ${what} into Go value of type ${type}`,
  );
}

// Go's byte-wise ordering of map keys.
function goKeyOrder(a: string, b: string): number {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return Buffer.compare(ba, bb);
}

function decode(v: Json, t: GoType, ctx: Ctx): Json | undefined {
  if (v === null) return undefined;
  switch (t.k) {
    case 'any':
      return v;
    case 'string':
      if (typeof v !== 'string') return void fail(ctx, jsonKind(v), t);
      return v;
    case 'bool':
      if (typeof v !== 'boolean') return void fail(ctx, jsonKind(v), t);
      return v;
    case 'int':
      if (typeof v !== 'number') return void fail(ctx, jsonKind(v), t);
      if (!Number.isInteger(v) || Math.abs(v) > 2 ** 63) return void fail(ctx, `number ${numberText(v)}`, t);
      return v;
    case 'slice': {
      if (!Array.isArray(v)) return void fail(ctx, jsonKind(v), t);
      const out: Json[] = [];
      for (const item of v) {
        const d = decode(item, t.elem, ctx);
        out.push(d === undefined ? (t.elem.k === 'string' ? '' : t.elem.k === 'bool' ? false : t.elem.k === 'int' ? 0 : t.elem.k === 'struct' && !t.ptrElem ? {} : null) : d);
      }
      return out;
    }
    case 'map': {
      if (!isObject(v)) return void fail(ctx, jsonKind(v), t);
      const out: JsonObject = {};
      for (const key of Object.keys(v).sort(goKeyOrder)) {
        const d = decode(v[key] ?? null, t.elem, ctx);
        out[key] = d === undefined ? (t.elem.k === 'string' ? '' : t.elem.k === 'bool' ? false : null) : d;
      }
      return out;
    }
    case 'struct': {
      if (!isObject(v)) return void fail(ctx, jsonKind(v), t);
      const fields = t.fields();
      const out: JsonObject = {};
      for (const key of Object.keys(v).sort(goKeyOrder)) {
        // An exact match first, then Go's case-insensitive one.
        const name = key in fields ? key : Object.keys(fields).find((f) => f.toLowerCase() === key.toLowerCase());
        if (name === undefined) {
          if (!ctx.error) ctx.error = new KustomizeError(`json: unknown field ${JSON.stringify(key)}`);
          continue;
        }
        const saved = { struct: ctx.struct, stack: ctx.stack };
        ctx.struct = t.name;
        ctx.stack = [...ctx.stack, name];
        const d = decode(v[key] ?? null, fields[name], ctx);
        ctx.struct = saved.struct;
        ctx.stack = saved.stack;
        if (d !== undefined) out[name] = d;
        else if (v[key] === null) delete out[name];
      }
      return out;
    }
  }
}

// The value as Go would hold it after json.Unmarshal, or the first error.
export function goDecode(v: Json, t: GoType): JsonObject {
  const ctx: Ctx = { stack: [] };
  const out = decode(v, t, ctx);
  if (ctx.error) throw ctx.error;
  return (out ?? {}) as JsonObject;
}
