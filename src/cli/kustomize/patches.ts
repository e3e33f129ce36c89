import type { Json, JsonObject } from '../../util/json';
import { clone, isObject } from '../../util/json';
import { applyJsonPatch, decodeJsonPatch, JsonPatchError } from '../../api/jsonpatch';
import { kindByApiVersion } from '../../api/kinds';
import { KustomizeError, wrap } from './errors';
import type { Patch, Selector } from './kustomization';
import type { Loader } from './loader';
import type { ResMap } from './resmap';
import { Resource } from './resource';
import { goString, readYamlResources, yamlToJsonV2 } from './yaml';
import { strategicMerge } from './merge';
import { toYaml } from '../../printers/yaml';
import { goQuote } from '../../api/errors';

// patchesStrategicMerge, patches (strategic merge or JSON 6902, by what the
// text parses as) and patchesJson6902, as kustomize's patch transformers
// apply them.

// Resources from YAML text, as the resource factory reads them: each must
// have a kind and (but for lists) a name.
export function resourcesFromBytes(text: string): Resource[] {
  const out: Resource[] = [];
  for (const v of readYamlResources(text)) {
    if (!isObject(v)) throw new KustomizeError(`missing kind in object ${resourceMetaString(v)}`);
    validateMetadata(v);
    out.push(new Resource(v));
  }
  return out;
}

// Go's %v of kyaml's ResourceMeta: {{apiVersion kind} {{name namespace} labels annotations}}.
export function resourceMetaString(v: Json): string {
  const o = isObject(v) ? v : {};
  const meta = isObject(o.metadata) ? o.metadata : {};
  const goMap = (m: Json | undefined) => {
    if (!isObject(m) || Object.keys(m).length === 0) return 'map[]';
    const keys = Object.keys(m).sort();
    return `map[${keys.map((k) => `${k}:${goString(m[k])}`).join(' ')}]`;
  };
  return `{{${goString(o.apiVersion)} ${goString(o.kind)}} {{${goString(meta.name)} ${goString(meta.namespace)}} ${goMap(meta.labels)} ${goMap(meta.annotations)}}}`;
}

// GetValidatedMetadata.
export function validateMetadata(v: JsonObject): void {
  const kind = v.kind;
  if (kind === undefined || kind === null || kind === '') throw new KustomizeError(`missing kind in object ${resourceMetaString(v)}`);
  if (String(kind).endsWith('List')) return;
  const meta = v.metadata;
  const name = isObject(meta) ? meta.name : undefined;
  if (name === undefined || name === null || name === '') throw new KustomizeError(`missing metadata.name in object ${resourceMetaString(v)}`);
}

function modelOf(res: Resource): string {
  return kindByApiVersion(res.getApiVersion(), res.getKind())?.model ?? '';
}

// Strategic merge of a patch into one resource (Resource.ApplySmPatch):
// the name, kind and namespace stay unless the patch may change them.
// False when the patch deleted the resource.
function applySmPatchTo(res: Resource, patch: Resource): boolean {
  const n = res.getName();
  const ns = res.getNamespace();
  const k = res.getKind();
  if (patch.nameChangeAllowed() || patch.kindChangeAllowed()) res.storePreviousId();
  const body = clone(patch.obj);
  if (body.$patch === 'delete') {
    res.obj = {};
    return false;
  }
  if (body.$patch === 'replace') {
    delete body.$patch;
    res.obj = body;
  } else {
    const merged = strategicMerge(res.obj, body, modelOf(res));
    if (!merged) {
      res.obj = {};
      return false;
    }
    res.obj = merged;
  }
  if (!patch.kindChangeAllowed()) res.setKind(k);
  if (!patch.nameChangeAllowed()) res.setName(n);
  res.setNamespace(ns);
  return true;
}

// ResMap.ApplySmPatch: the patch, given each target's type, to the selected.
function applySmPatch(m: ResMap, selected: Resource[], patch: Resource): void {
  const ids = selected.map((r) => r.curId());
  const keep: Resource[] = [];
  for (const res of m.list) {
    if (ids.some((id) => id.toString() === res.curId().toString())) {
      const copy = patch.deepCopy();
      copy.copyMergeMetaDataFieldsFrom(patch);
      copy.setGvk(res.getGvk());
      copy.setKind(patch.getKind());
      if (!applySmPatchTo(res, copy)) continue;
    }
    if (!res.isNilOrEmpty()) keep.push(res);
  }
  m.clear();
  m.appendAll(keep);
}

// Loaded inline text, else the file it names.
function loadStrategicMerge(ldr: Loader, entry: string): Resource[] {
  try {
    return resourcesFromBytes(entry);
  } catch {
    return resourcesFromBytes(ldr.load(entry).toString('utf8'));
  }
}

export type Transform = (m: ResMap) => void;

// Plugin.Config failures, as KustTarget reports them: with the plugin's
// configuration as YAML.
function configError(e: unknown, plugin: string, config: JsonObject): KustomizeError {
  return wrap(e, `trouble configuring builtin ${plugin} with config: \`\n${Object.keys(config).length > 0 ? toYaml(config) : ''}\``);
}

function selectorJson(s: Selector): JsonObject {
  const out: JsonObject = {};
  for (const k of ['group', 'version', 'kind', 'name', 'namespace', 'annotationSelector', 'labelSelector'] as const) if (s[k]) out[k] = s[k];
  return out;
}

export function configurePatchesStrategicMerge(ldr: Loader, entries: string[]): Transform | undefined {
  if (entries.length === 0) return undefined;
  const patches: Resource[] = [];
  try {
    for (const e of entries) patches.push(...loadStrategicMerge(ldr, e));
    if (patches.length === 0) throw new KustomizeError(`patch appears to be empty; files=[${entries.join(' ')}], Patch=`);
  } catch (e) {
    throw configError(e, 'PatchStrategicMergeTransformer', { paths: entries });
  }
  return (m) => {
    for (const p of patches) {
      const target = m.getById(p.orgId());
      applySmPatch(m, [target], p);
    }
  };
}

function jsonPatchFromText(text: string): JsonObject[] {
  if (text === '') throw new KustomizeError('empty json patch operations');
  let ops: Json;
  if (text[0] !== '[') ops = yamlToJsonV2(text) as Json;
  else {
    try {
      ops = JSON.parse(text) as Json;
    } catch (e) {
      throw new KustomizeError((e as Error).message);
    }
  }
  try {
    return decodeJsonPatch(ops, 'jsonpatch.Patch', 'jsonpatch.Operation');
  } catch (e) {
    if (e instanceof JsonPatchError) throw new KustomizeError(e.message);
    throw e;
  }
}

const INTERNAL_PREFIX = 'internal.config.kubernetes.io/';

function applyJson6902(res: Resource, ops: JsonObject[]): void {
  const internal = Object.entries(res.getAnnotations()).filter(([k]) => k.startsWith(INTERNAL_PREFIX));
  try {
    const out = applyJsonPatch(res.obj, ops);
    if (!isObject(out)) throw new KustomizeError('json patch did not produce an object');
    res.obj = out;
  } catch (e) {
    if (e instanceof JsonPatchError) throw new KustomizeError(e.message);
    throw e;
  }
  const a = res.getAnnotations();
  for (const [k, v] of internal) a[k] = v;
  res.setAnnotations(a);
}

// One entry of `patches`: a strategic merge patch or a JSON patch, by what
// its text parses as.
export function configurePatch(ldr: Loader, p: Patch): Transform {
  const config: JsonObject = {};
  if (p.options && Object.keys(p.options).length > 0) config.options = p.options;
  if (p.patch) config.patch = p.patch;
  if (p.path) config.path = p.path;
  if (p.target) config.target = selectorJson(p.target);
  let sm: Resource[] | undefined;
  let json: JsonObject[] | undefined;
  let source: string;
  try {
    const inline = (p.patch ?? '').trim();
    let text: string;
    if (inline === '' && !p.path) throw new KustomizeError(`must specify one of patch and path in\n${toYaml(config)}`);
    if (inline !== '' && p.path) throw new KustomizeError(`patch and path can't be set at the same time\n${toYaml(config)}`);
    if (inline !== '') {
      text = inline;
      source = `[patch: ${goQuote(inline)}]`;
    } else {
      try {
        text = ldr.load(p.path!).toString('utf8');
      } catch (e) {
        throw wrap(e, `failed to get the patch file from path(${p.path})`);
      }
      source = `[path: ${goQuote(p.path!)}]`;
    }
    let smErr = false;
    try {
      sm = resourcesFromBytes(text);
    } catch {
      smErr = true;
    }
    let jsonErr = false;
    try {
      json = jsonPatchFromText(text);
    } catch {
      jsonErr = true;
    }
    if ((!smErr && !jsonErr) || (sm && sm.length > 0 && json)) throw new KustomizeError(`illegally qualifies as both an SM and JSON patch: ${source}`);
    if (smErr && jsonErr) throw new KustomizeError(`unable to parse SM or JSON patch from ${source}`);
    if (smErr || !sm || sm.length === 0) sm = undefined;
  } catch (e) {
    throw configError(e, 'PatchTransformer', config);
  }
  if (sm) {
    const patches = sm;
    for (const patch of patches) {
      if (p.options?.allowNameChange) patch.allowNameChange();
      if (p.options?.allowKindChange) patch.allowKindChange();
    }
    return (m) => {
      if (p.target) {
        if (patches.length > 1) {
          throw new KustomizeError(`Multiple Strategic-Merge Patches in one \`patches\` entry is not allowed to set \`patches.target\` field: ${source}`);
        }
        applySmPatch(m, m.select(p.target), patches[0]);
        return;
      }
      for (const patch of patches) {
        let target: Resource;
        try {
          target = m.getById(patch.orgId());
        } catch (e) {
          throw wrap(e, `no resource matches strategic merge patch "${patch.orgId().toString()}"`);
        }
        applySmPatch(m, [target], patch);
      }
    };
  }
  return (m) => {
    if (!p.target) throw new KustomizeError(`must specify a target for JSON patch ${source}`);
    for (const res of m.select(p.target)) {
      res.storePreviousId();
      applyJson6902(res, json ?? []);
    }
  };
}

export function configurePatchJson6902(ldr: Loader, p: Patch): Transform {
  const config: JsonObject = {};
  if (p.target) config.target = selectorJson(p.target);
  if (p.path) config.path = p.path;
  if (p.patch) config.jsonOp = p.patch;
  let ops: JsonObject[];
  try {
    if (!p.target?.name) throw new KustomizeError('must specify the target name');
    let op = p.patch ?? '';
    if (!p.path && op === '') throw new KustomizeError('empty file path and empty jsonOp');
    if (p.path) {
      if (op !== '') throw new KustomizeError('must specify a file path or jsonOp, not both');
      op = ldr.load(p.path).toString('utf8');
      if (op === '') throw new KustomizeError(`patch file '${p.path}' empty seems to be empty`);
    }
    try {
      ops = jsonPatchFromText(op);
    } catch (e) {
      throw wrap(e, `decoding ${op}`);
    }
    if (ops.length === 0) throw new KustomizeError(`patch appears to be empty; file=${p.path ?? ''}, JsonOp=${op}`);
  } catch (e) {
    throw configError(e, 'PatchJson6902Transformer', config);
  }
  return (m) => {
    for (const res of m.select(p.target!)) applyJson6902(res, ops);
  };
}
