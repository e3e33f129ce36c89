import type { Json, JsonObject } from '../util/json';
import { clone, deepEqual, isObject } from '../util/json';

// RFC 6902 JSON patches as evanphx/json-patch v4 (the library kubectl and the
// API server use) applies them, with its quirks and its error texts: a
// `replace` of a missing object member adds it, a `move` names only the last
// segment of `from` in its errors, every error ends in its cause (`: missing
// value`), negative array indices count from the end.

export class JsonPatchError extends Error {}

const MISSING = 'missing value';
const INVALID_INDEX = 'invalid index referenced';

// A JSON value's kind in Go's unmarshal errors.
export function goJsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

// DecodePatch: an array of operation objects, else Go's unmarshal error for
// `patchType` (`jsonpatch.Patch` in kubectl, the handler's type on the server).
export function decodeJsonPatch(patch: Json, patchType: string, opType: string): JsonObject[] {
  if (!Array.isArray(patch)) throw new JsonPatchError(`json: cannot unmarshal ${goJsonKind(patch)} into Go value of type ${patchType}`);
  for (const op of patch) {
    if (op !== null && !isObject(op)) throw new JsonPatchError(`json: cannot unmarshal ${goJsonKind(op)} into Go value of type ${opType}`);
  }
  return patch.map((op) => (op ?? {}) as JsonObject);
}

function decodeKey(k: string): string {
  return k.replace(/~1/g, '/').replace(/~0/g, '~');
}

// strconv.Atoi, with its error text.
function atoi(key: string): number {
  if (!/^[+-]?\d+$/.test(key)) throw new JsonPatchError(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  return Number(key);
}

const badIndex = (idx: number) => new JsonPatchError(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);

// An object member or an array slot that operations read and write.
interface Container {
  get(key: string): Json | undefined;
  set(key: string, v: Json): void;
  add(key: string, v: Json): void;
  remove(key: string): void;
}

function objectContainer(o: JsonObject): Container {
  return {
    get: (k) => (Object.hasOwn(o, k) ? o[k] : undefined),
    set: (k, v) => void (o[k] = v),
    add: (k, v) => void (o[k] = v),
    remove: (k) => {
      if (!Object.hasOwn(o, k)) throw new JsonPatchError(`Unable to remove nonexistent key: ${k}: ${MISSING}`);
      delete o[k];
    },
  };
}

function arrayContainer(a: Json[]): Container {
  const resolve = (idx: number, len: number) => {
    if (idx < 0) {
      if (idx < -len) throw badIndex(idx);
      idx += len;
    }
    return idx;
  };
  return {
    get: (k) => {
      const i = resolve(atoi(k), a.length);
      if (i >= a.length) throw badIndex(atoi(k));
      return a[i];
    },
    set: (k, v) => void (a[resolve(atoi(k), a.length)] = v),
    add: (k, v) => {
      if (k === '-') {
        a.push(v);
        return;
      }
      let idx: number;
      try {
        idx = atoi(k);
      } catch (e) {
        throw new JsonPatchError(`value was not a proper array index: '${k}': ${(e as Error).message}`);
      }
      if (idx >= a.length + 1) throw badIndex(idx);
      a.splice(resolve(idx, a.length + 1), 0, v);
    },
    remove: (k) => {
      const idx = atoi(k);
      if (idx >= a.length) throw badIndex(idx);
      a.splice(resolve(idx, a.length), 1);
    },
  };
}

function containerOf(v: Json | undefined): Container | undefined {
  if (Array.isArray(v)) return arrayContainer(v);
  if (isObject(v)) return objectContainer(v);
  return undefined;
}

// findObject: the container holding the path's last segment, and that segment.
function findObject(doc: { root: Json }, path: string): [Container, string] | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  let cur = containerOf(doc.root);
  for (const part of split.slice(1, -1)) {
    if (!cur) return undefined;
    let next: Json | undefined;
    try {
      next = cur.get(decodeKey(part));
    } catch {
      return undefined;
    }
    cur = containerOf(next);
  }
  return cur ? [cur, decodeKey(split[split.length - 1])] : undefined;
}

function stringField(op: JsonObject, field: string, missing: string): string {
  const v = op[field];
  if (v === undefined || v === null) throw new JsonPatchError(`${missing}: ${MISSING}`);
  if (typeof v !== 'string') throw new JsonPatchError(`json: cannot unmarshal ${goJsonKind(v)} into Go value of type string`);
  return v;
}

const wrap = (e: unknown, msg: string) => new JsonPatchError(`${msg}: ${(e as Error).message}`);

function decodePath(op: JsonObject, what: string, keepCause: boolean): string {
  try {
    return stringField(op, 'path', 'operation missing path field');
  } catch (e) {
    throw keepCause ? wrap(e, `${what} operation failed to decode path`) : new JsonPatchError(`${what} operation failed to decode path: ${MISSING}`);
  }
}

function decodeFrom(op: JsonObject, what: string): string {
  try {
    return stringField(op, 'from', 'operation, missing from field');
  } catch (e) {
    throw wrap(e, `${what} operation failed to decode from`);
  }
}

function valueOf(op: JsonObject): Json {
  return op.value === undefined ? null : clone(op.value);
}

function applyOp(doc: { root: Json }, op: JsonObject): void {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  switch (kind) {
    case 'add': {
      const path = decodePath(op, 'add', false);
      const found = findObject(doc, path);
      if (!found) throw new JsonPatchError(`add operation does not apply: doc is missing path: "${path}": ${MISSING}`);
      try {
        found[0].add(found[1], valueOf(op));
      } catch (e) {
        throw wrap(e, `error in add for path: '${path}'`);
      }
      return;
    }
    case 'remove': {
      const path = decodePath(op, 'remove', false);
      const found = findObject(doc, path);
      if (!found) throw new JsonPatchError(`remove operation does not apply: doc is missing path: "${path}": ${MISSING}`);
      try {
        found[0].remove(found[1]);
      } catch (e) {
        throw wrap(e, `error in remove for path: '${path}'`);
      }
      return;
    }
    case 'replace': {
      const path = decodePath(op, 'replace', true);
      if (path === '') {
        // Only an object or an array can replace the document; anything else is ignored.
        const v = valueOf(op);
        if (isObject(v) || Array.isArray(v)) doc.root = v;
        return;
      }
      const found = findObject(doc, path);
      if (!found) throw new JsonPatchError(`replace operation does not apply: doc is missing path: ${path}: ${MISSING}`);
      try {
        found[0].get(found[1]);
      } catch {
        throw new JsonPatchError(`replace operation does not apply: doc is missing key: ${path}: ${MISSING}`);
      }
      try {
        found[0].set(found[1], valueOf(op));
      } catch (e) {
        throw wrap(e, `error in remove for path: '${path}'`);
      }
      return;
    }
    case 'move': {
      const from = decodeFrom(op, 'move');
      const src = findObject(doc, from);
      if (!src) throw new JsonPatchError(`move operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
      let val: Json | undefined;
      try {
        val = src[0].get(src[1]);
        src[0].remove(src[1]);
      } catch (e) {
        throw wrap(e, `error in move for path: '${src[1]}'`);
      }
      const path = decodePath(op, 'move', true);
      const dst = findObject(doc, path);
      if (!dst) throw new JsonPatchError(`move operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
      try {
        dst[0].add(dst[1], val ?? null);
      } catch (e) {
        throw wrap(e, `error in move for path: '${path}'`);
      }
      return;
    }
    case 'test': {
      const path = decodePath(op, 'test', true);
      const failed = new JsonPatchError(`testing value ${path} failed: test failed`);
      if (path === '') {
        if (!deepEqual(doc.root, valueOf(op))) throw failed;
        return;
      }
      const found = findObject(doc, path);
      if (!found) throw new JsonPatchError(`test operation does not apply: is missing path: ${path}: ${MISSING}`);
      let val: Json | undefined;
      try {
        val = found[0].get(found[1]);
      } catch (e) {
        throw wrap(e, `error in test for path: '${path}'`);
      }
      if (val === undefined ? op.value !== undefined && op.value !== null : !deepEqual(val, valueOf(op))) throw failed;
      return;
    }
    case 'copy': {
      const from = decodeFrom(op, 'copy');
      const src = findObject(doc, from);
      if (!src) throw new JsonPatchError(`copy operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
      let val: Json | undefined;
      try {
        val = src[0].get(src[1]);
      } catch (e) {
        throw wrap(e, `error in copy for from: '${from}'`);
      }
      const path = decodePath(op, 'copy', false);
      const dst = findObject(doc, path);
      if (!dst) throw new JsonPatchError(`copy operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
      try {
        dst[0].add(dst[1], clone(val ?? null));
      } catch (e) {
        throw wrap(e, 'error while adding value during copy');
      }
      return;
    }
    default:
      throw new JsonPatchError(`Unexpected kind: ${kind}`);
  }
}

// Applies the operations to a copy of `doc`.
export function applyJsonPatch(doc: Json, ops: readonly JsonObject[]): Json {
  const state = { root: clone(doc) };
  for (const op of ops) applyOp(state, op);
  return state.root;
}
