import type { Json, JsonObject } from '../../util/json';
import { clone, isObject } from '../../util/json';
import { loadSchema } from '../../api/validation/schema';
import { KustomizeError } from './errors';

// Strategic merge as kustomize does it (kyaml's merge2 walker, lists growing
// at the front): maps merge field by field, null deletes, `$patch: delete`
// and `$patch: replace` are obeyed; lists the Kubernetes schema marks with a
// merge key merge element by element, the patch's elements first, then the
// target's others; every other list is replaced.

// `Definition.field` -> merge key, as in the types' `patchMergeKey` tags.
const MERGE_KEYS: Record<string, string> = {
  'V1PodSpec.containers': 'name',
  'V1PodSpec.initContainers': 'name',
  'V1PodSpec.ephemeralContainers': 'name',
  'V1PodSpec.volumes': 'name',
  'V1PodSpec.imagePullSecrets': 'name',
  'V1PodSpec.hostAliases': 'ip',
  'V1PodSpec.topologySpreadConstraints': 'topologyKey',
  'V1Container.ports': 'containerPort',
  'V1Container.env': 'name',
  'V1Container.volumeMounts': 'mountPath',
  'V1Container.volumeDevices': 'devicePath',
  'V1EphemeralContainer.ports': 'containerPort',
  'V1EphemeralContainer.env': 'name',
  'V1EphemeralContainer.volumeMounts': 'mountPath',
  'V1EphemeralContainer.volumeDevices': 'devicePath',
  'V1ServiceSpec.ports': 'port',
  'V1ServiceAccount.secrets': 'name',
  'V1ObjectMeta.ownerReferences': 'uid',
};

// Lists of scalars merged as sets (`patchStrategy:"merge"` without a key).
const MERGE_SCALARS = new Set(['V1ObjectMeta.finalizers']);

const DELETE = Symbol('delete');
type Merged = Json | undefined | typeof DELETE;

interface Field {
  def?: string;
  key?: string;
  scalars?: boolean;
}

function field(def: string | undefined, name: string): Field {
  if (!def) return {};
  const prop = loadSchema().definitions[def]?.properties[name];
  if (!prop) return {};
  const target = prop.type === 'array' ? prop.items : prop;
  const additional = prop.type === 'object' && isObject(prop.additionalProperties) ? (prop.additionalProperties as { $ref?: string }) : undefined;
  return {
    def: (target?.$ref ?? additional?.$ref)?.split('/').pop(),
    key: MERGE_KEYS[`${def}.${name}`],
    scalars: MERGE_SCALARS.has(`${def}.${name}`),
  };
}

function directive(v: JsonObject): string | undefined {
  const d = v.$patch;
  if (d === undefined) return undefined;
  if (d === 'delete' || d === 'replace' || d === 'merge') return d;
  throw new KustomizeError(`unknown patch strategy '${String(d)}'`);
}

function withoutDirective(v: JsonObject): JsonObject {
  const out = { ...v };
  delete out.$patch;
  return out;
}

// A patch value written where the target has nothing: its directives are
// obeyed and dropped on the way down.
function clean(patch: Json, def: string | undefined): Merged {
  return mergeValue(undefined, patch, { def });
}

function mergeMap(dest: JsonObject | undefined, patch: JsonObject, def: string | undefined): Merged {
  const d = directive(patch);
  if (d === 'delete') return DELETE;
  if (d === 'replace') return clone(withoutDirective(patch));
  const out: JsonObject = dest ? { ...dest } : {};
  for (const [k, v] of Object.entries(withoutDirective(patch))) {
    if (v === undefined) continue;
    const merged = v === null ? DELETE : mergeValue(out[k], v, field(def, k));
    if (merged === DELETE || merged === undefined) delete out[k];
    else out[k] = merged;
  }
  return out;
}

function keyOf(item: Json | undefined, key: string): string | undefined {
  if (!isObject(item)) return undefined;
  const v = item[key];
  return v === undefined || v === null ? '' : String(v);
}

// An associative list: the patch's elements (merged with the target's of the
// same key) in patch order, then the target's untouched ones.
function mergeList(dest: Json[] | undefined, patch: Json[], f: Field): Merged {
  // A lone `{$patch: ...}` element says what to do with the whole list.
  const marker = patch.find((p) => isObject(p) && Object.keys(p).length === 1 && '$patch' in p) as JsonObject | undefined;
  const items = marker ? patch.filter((p) => p !== marker) : patch;
  if (marker) {
    const d = directive(marker);
    if (d === 'delete') return DELETE;
    if (d === 'replace') return items.map((i) => clone(i));
  }
  if (dest === undefined) {
    const out: Json[] = [];
    for (const i of items) {
      const c = f.scalars ? i : isObject(i) ? mergeMap(undefined, i, f.def) : i;
      if (c !== DELETE && c !== undefined) out.push(c);
    }
    return out;
  }
  if (f.scalars) {
    const seen = new Set(items.map((i) => JSON.stringify(i)));
    return [...items, ...dest.filter((d) => !seen.has(JSON.stringify(d)))];
  }
  const key = f.key!;
  const out: Json[] = [];
  const used = new Set<number>();
  for (const p of items) {
    const k = keyOf(p, key);
    const i = k === undefined ? -1 : dest.findIndex((d, n) => !used.has(n) && keyOf(d, key) === k);
    if (i >= 0) used.add(i);
    const merged = isObject(p) ? mergeMap(i >= 0 && isObject(dest[i]) ? (dest[i] as JsonObject) : undefined, p, f.def) : p;
    if (merged === DELETE || merged === undefined) continue;
    out.push(merged);
  }
  dest.forEach((d, n) => {
    if (!used.has(n)) out.push(d);
  });
  return out;
}

function mergeValue(dest: Json | undefined, patch: Json, f: Field): Merged {
  if (patch === null) return DELETE;
  if (isObject(patch)) return mergeMap(isObject(dest) ? dest : undefined, patch, f.def);
  if (Array.isArray(patch)) {
    if (f.key || f.scalars) return mergeList(Array.isArray(dest) ? dest : undefined, patch, f);
    return patch.map((p) => (isObject(p) ? (clean(p, f.def) as Json) : p)).filter((p) => (p as unknown) !== DELETE);
  }
  return patch;
}

// merge2.Merge(patch, target): the merged object, or undefined when the
// patch deletes it.
export function strategicMerge(target: JsonObject, patch: JsonObject, model: string): JsonObject | undefined {
  const out = mergeMap(target, patch, model || undefined);
  return out === DELETE || !isObject(out) ? undefined : out;
}
