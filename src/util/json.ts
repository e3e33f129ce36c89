// JSON values as they travel through kubemu: objects are plain JSON, as on the wire.

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json | undefined;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((x) => ao[x] !== undefined);
  const bk = Object.keys(bo).filter((x) => bo[x] !== undefined);
  return ak.length === bk.length && ak.every((x) => deepEqual(ao[x], bo[x]));
}

// Recursively sorts object keys, as Go does when it prints an unstructured object.
export function sortKeys<T>(v: T): T {
  if (Array.isArray(v)) return v.map(sortKeys) as unknown as T;
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const key of Object.keys(v).sort()) if (v[key] !== undefined) out[key] = sortKeys(v[key]) as Json;
    return out as T;
  }
  return v;
}

// Removes null members (kubectl prunes nulls from a manifest before sending it).
export function pruneNulls<T>(v: T): T {
  if (Array.isArray(v)) return v.map(pruneNulls) as unknown as T;
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [key, val] of Object.entries(v)) if (val !== null && val !== undefined) out[key] = pruneNulls(val);
    return out as T;
  }
  return v;
}

// Reads a dotted path (`spec.template.spec`) without throwing on missing members.
export function getPath(v: unknown, path: readonly string[]): unknown {
  let cur: unknown = v;
  for (const p of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

// kubernetes-types marks status and server-set metadata read-only; the API
// server and controllers are the writers of those fields.
export type Writable<T> = { -readonly [K in keyof T]: T[K] };

export function writable<T>(v: T): Writable<T> {
  return v as Writable<T>;
}

// Templates keep `creationTimestamp: null`, as Go serialises a zero metav1.Time.
export function nullTimestamp(meta: { creationTimestamp?: string }): void {
  const m = meta as { creationTimestamp?: string | null };
  if (m.creationTimestamp === undefined) m.creationTimestamp = null;
}
