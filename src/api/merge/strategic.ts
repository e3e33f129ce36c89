import type { Json, JsonObject } from '../../util/json';
import { deepEqual, isObject, clone } from '../../util/json';
import { loadSchema } from '../validation/schema';

// Strategic merge patch (apimachinery's strategicpatch): maps merge key by key,
// lists of objects merge by their merge key where Kubernetes' types say so
// (containers by name, ports by containerPort, env by name, ...), other lists
// are replaced. Plus the three-way patch kubectl apply computes from the last
// applied configuration, the new manifest and the live object.

// `Definition.field` -> merge key, from the Go struct tags
// `patchStrategy:"merge" patchMergeKey:"..."` of the types kubemu serves.
const MERGE_KEYS: Record<string, string> = {
  'V1PodSpec.containers': 'name',
  'V1PodSpec.initContainers': 'name',
  'V1PodSpec.ephemeralContainers': 'name',
  'V1PodSpec.volumes': 'name',
  'V1PodSpec.imagePullSecrets': 'name',
  'V1PodSpec.hostAliases': 'ip',
  'V1PodSpec.topologySpreadConstraints': 'topologyKey',
  'V1PodSpec.resourceClaims': 'name',
  'V1PodSpec.schedulingGates': 'name',
  'V1Container.ports': 'containerPort',
  'V1Container.env': 'name',
  'V1Container.volumeMounts': 'mountPath',
  'V1Container.volumeDevices': 'devicePath',
  'V1Container.resizePolicy': 'resourceName',
  'V1EphemeralContainer.ports': 'containerPort',
  'V1EphemeralContainer.env': 'name',
  'V1EphemeralContainer.volumeMounts': 'mountPath',
  'V1ServiceSpec.ports': 'port',
  'V1ServiceAccount.secrets': 'name',
  'V1ObjectMeta.ownerReferences': 'uid',
  'V1DeploymentStatus.conditions': 'type',
  'V1ReplicaSetStatus.conditions': 'type',
  'V1StatefulSetStatus.conditions': 'type',
  'V1DaemonSetStatus.conditions': 'type',
  'V1PodStatus.conditions': 'type',
  'V1NodeStatus.conditions': 'type',
  'V1NodeStatus.addresses': 'type',
  'V1NamespaceStatus.conditions': 'type',
  'V1PersistentVolumeClaimStatus.conditions': 'type',
  'V1ServiceStatus.conditions': 'type',
  'V1JobStatus.conditions': 'type',
  'V1PodDisruptionBudgetStatus.conditions': 'type',
  'V2HorizontalPodAutoscalerStatus.conditions': 'type',
  'V1ReplicationControllerStatus.conditions': 'type',
};

// Lists of scalars merged as sets (`patchStrategy:"merge"` without a key).
const MERGE_SCALARS = new Set(['V1ObjectMeta.finalizers']);

interface FieldInfo {
  def?: string; // the child's definition (for objects and list items)
  mergeKey?: string;
  mergeScalars?: boolean;
}

function fieldInfo(def: string | undefined, field: string): FieldInfo {
  if (!def) return {};
  const schema = loadSchema().definitions[def];
  const prop = schema?.properties[field];
  if (!prop) return {};
  const target = prop.type === 'array' ? prop.items : prop;
  const ref = target?.$ref?.split('/').pop();
  const additional = prop.type === 'object' && isObject(prop.additionalProperties) ? (prop.additionalProperties as { $ref?: string }) : undefined;
  return {
    def: ref ?? additional?.$ref?.split('/').pop(),
    mergeKey: MERGE_KEYS[`${def}.${field}`],
    mergeScalars: MERGE_SCALARS.has(`${def}.${field}`),
  };
}

const DIRECTIVE = '$patch';
const ORDER_PREFIX = '$setElementOrder/';

function keyOf(item: Json | undefined, mergeKey: string): string {
  return isObject(item) ? JSON.stringify(item[mergeKey] ?? null) : JSON.stringify(item);
}

function mergeList(current: Json[], patch: Json[], info: FieldInfo, order?: Json[]): Json[] {
  if (info.mergeScalars) {
    const out = [...current];
    for (const p of patch) if (!out.some((c) => deepEqual(c, p))) out.push(p);
    return out;
  }
  if (!info.mergeKey) return patch;
  const key = info.mergeKey;
  if (patch.some((p) => isObject(p) && p[DIRECTIVE] === 'replace')) {
    return patch.filter((p) => !(isObject(p) && p[DIRECTIVE] === 'replace'));
  }
  let out = current.map((c) => clone(c));
  for (const p of patch) {
    if (!isObject(p)) continue;
    const k = keyOf(p, key);
    const i = out.findIndex((c) => keyOf(c, key) === k);
    if (p[DIRECTIVE] === 'delete') {
      if (i >= 0) out.splice(i, 1);
      continue;
    }
    if (i >= 0) out[i] = applyMap(out[i] as JsonObject, p, info.def);
    else out.push(applyMap({}, p, info.def));
  }
  if (order) {
    // $setElementOrder: listed items first, in that order, the others after.
    const rank = new Map(order.map((o, n) => [keyOf(o, key), n]));
    const listed = out.filter((c) => rank.has(keyOf(c, key))).sort((a, b) => rank.get(keyOf(a, key))! - rank.get(keyOf(b, key))!);
    out = [...listed, ...out.filter((c) => !rank.has(keyOf(c, key)))];
  }
  return out;
}

function applyMap(current: JsonObject, patch: JsonObject, def: string | undefined): JsonObject {
  if (patch[DIRECTIVE] === 'replace') {
    const { [DIRECTIVE]: _d, ...rest } = patch;
    void _d;
    return rest as JsonObject;
  }
  const out: JsonObject = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    if (k === DIRECTIVE || k.startsWith(ORDER_PREFIX) || k.startsWith('$deleteFromPrimitiveList/') || k === '$retainKeys') continue;
    if (v === null || v === undefined) {
      delete out[k];
      continue;
    }
    const info = fieldInfo(def, k);
    const cur = out[k];
    if (Array.isArray(v)) {
      const order = patch[`${ORDER_PREFIX}${k}`];
      out[k] = mergeList(Array.isArray(cur) ? cur : [], v, info, Array.isArray(order) ? order : undefined);
    } else if (isObject(v) && isObject(cur)) {
      out[k] = applyMap(cur, v, info.def);
    } else if (isObject(v)) {
      out[k] = applyMap({}, v, info.def);
    } else {
      out[k] = v;
    }
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$deleteFromPrimitiveList/') && Array.isArray(v)) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      const cur = out[field];
      if (Array.isArray(cur)) out[field] = cur.filter((c) => !v.some((d) => deepEqual(c, d)));
    }
  }
  return out;
}

export function applyStrategicPatch<T extends object>(target: T, patch: JsonObject, model: string): T {
  return applyMap(target as unknown as JsonObject, patch, model) as unknown as T;
}

// RFC 7386 JSON merge patch: objects merge, null deletes, everything else replaces.
export function applyMergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v as Json);
  }
  return out;
}

// The three-way patch of `kubectl apply`: what changed from `current` to
// `modified`, plus what `modified` removed compared with `original` (the last
// applied configuration). Fields others set on the live object are kept.
export function threeWayPatch(original: Json | undefined, modified: JsonObject, current: JsonObject, model: string): JsonObject {
  return diffMaps(isObject(original) ? original : {}, modified, current, model);
}

function diffMaps(original: JsonObject, modified: JsonObject, current: JsonObject, def: string | undefined): JsonObject {
  const patch: JsonObject = {};
  for (const [k, mv] of Object.entries(modified)) {
    if (mv === undefined) continue;
    const cv = current[k];
    const info = fieldInfo(def, k);
    if (isObject(mv) && isObject(cv)) {
      const sub = diffMaps(isObject(original[k]) ? (original[k] as JsonObject) : {}, mv, cv, info.def);
      if (Object.keys(sub).length > 0) patch[k] = sub;
    } else if (Array.isArray(mv) && Array.isArray(cv) && (info.mergeKey || info.mergeScalars)) {
      const o = Array.isArray(original[k]) ? (original[k] as Json[]) : [];
      const sub = diffLists(o, mv, cv, info);
      if (sub) {
        patch[k] = sub;
        if (info.mergeKey) patch[`${ORDER_PREFIX}${k}`] = mv.map((item) => ({ [info.mergeKey!]: (item as JsonObject)[info.mergeKey!] ?? null }));
      }
    } else if (!deepEqual(mv, cv)) {
      patch[k] = mv as Json;
    }
  }
  // Deletions: in the last applied configuration, gone from the manifest.
  for (const k of Object.keys(original)) {
    if (modified[k] === undefined && current[k] !== undefined) patch[k] = null;
  }
  return patch;
}

function diffLists(original: Json[], modified: Json[], current: Json[], info: FieldInfo): Json[] | undefined {
  if (info.mergeScalars) {
    const add = modified.filter((m) => !current.some((c) => deepEqual(c, m)));
    return add.length > 0 ? add : undefined;
  }
  const key = info.mergeKey!;
  const items: Json[] = [];
  for (const m of modified) {
    if (!isObject(m)) continue;
    const c = current.find((x) => keyOf(x, key) === keyOf(m, key));
    const o = original.find((x) => keyOf(x, key) === keyOf(m, key));
    if (!isObject(c)) {
      items.push(m);
      continue;
    }
    const sub = diffMaps(isObject(o) ? o : {}, m, c, info.def);
    if (Object.keys(sub).length > 0) items.push({ ...sub, [key]: m[key] ?? null });
  }
  for (const o of original) {
    const k = keyOf(o, key);
    if (!modified.some((m) => keyOf(m, key) === k) && current.some((c) => keyOf(c, key) === k)) {
      items.push({ [DIRECTIVE]: 'delete', [key]: (o as JsonObject)[key] ?? null });
    }
  }
  const currentOrder = current.filter((c) => modified.some((m) => keyOf(m, key) === keyOf(c, key))).map((c) => keyOf(c, key));
  const modifiedOrder = modified.map((m) => keyOf(m, key));
  const reordered = currentOrder.join('\0') !== modifiedOrder.join('\0');
  return items.length > 0 || reordered ? items : undefined;
}
