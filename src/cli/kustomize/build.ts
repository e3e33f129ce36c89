import { isObject } from '../../util/json';
import type { JsonObject } from '../../util/json';
import { KustomizeError, wrap } from './errors';
import { defaultConfig, mergeSpecs, typeOrder } from './fieldspec';
import type { TransformerConfig } from './fieldspec';
import { makeConfigMap, makeSecret, mergeOptions } from './generators';
import { resourceHash } from './hash';
import { readKustomization } from './kustomization';
import type { Kustomization } from './kustomization';
import { HttpError, Loader } from './loader';
import { fixBackReferences } from './nameref';
import { configurePatch, configurePatchJson6902, configurePatchesStrategicMerge, resourcesFromBytes } from './patches';
import { ResMap } from './resmap';
import { Resource, goStringLess, gvkEquals, gvkString } from './resource';
import type { ResId } from './resource';
import {
  dropLocalConfig,
  imageTransformer,
  mapTransformer,
  namespaceTransformer,
  prefixTransformer,
  replicaTransformer,
  suffixTransformer,
} from './transformers';

// A kustomization directory built as `kubectl kustomize` builds it
// (krusty.Kustomizer.Run, KustTarget): resources (files and bases) are
// accumulated depth first, then this level's generators and transformers run
// over everything gathered; at the top, hash suffixes are added, references
// follow the new names, and the legacy sort orders the result.

interface Accumulator {
  resMap: ResMap;
  config: TransformerConfig;
}

export interface BuildOptions {
  warn: (line: string) => void;
  restrictRoot: boolean;
  reorder?: string;
}

class Target {
  k!: Kustomization;
  fileName = '';

  constructor(
    readonly ldr: Loader,
    readonly opts: BuildOptions,
  ) {}

  load(): void {
    const { k, fileName } = readKustomization(this.ldr, this.opts.warn);
    this.k = k;
    this.fileName = fileName;
    if (k.vars && k.vars.length > 0) throw new KustomizeError('kubemu: vars are not supported (use replacements)');
    if (k.replacements && k.replacements.length > 0) throw new KustomizeError('kubemu: replacements are not supported');
    if (k.helmCharts && k.helmCharts.length > 0) throw new KustomizeError('must specify --enable-helm');
    for (const field of ['generators', 'transformers', 'validators', 'crds', 'configurations'] as const) {
      if (k[field] && k[field]!.length > 0) throw new KustomizeError(`kubemu: '${field}' in a kustomization is not supported`);
    }
  }

  accumulateTarget(ra: Accumulator): Accumulator {
    try {
      this.accumulateResources(ra, this.k.resources ?? []);
    } catch (e) {
      throw wrap(e, 'accumulating resources');
    }
    this.runGenerators(ra);
    ra = this.accumulateComponents(ra, this.k.components ?? []);
    this.runTransformers(ra);
    return ra;
  }

  // accumulateFile: any failure here sends kustomize on to try the path as
  // a directory, and its message into that attempt's error.
  private accumulateFile(ra: Accumulator, path: string): void {
    const fileMap = new ResMap();
    try {
      const text = this.ldr.load(path).toString('utf8');
      try {
        fileMap.appendAll(resourcesFromBytes(text));
      } catch (e) {
        // kusterr.Handler: a YAML error says which file.
        if (e instanceof KustomizeError && e.message.includes('MalformedYAMLError')) throw new MalformedYaml(`${e.message} in File: ${path}`);
        throw e;
      }
    } catch (e) {
      const msg = `accumulating resources from '${path}': ${(e as Error).message}`;
      throw e instanceof MalformedYaml ? new MalformedYaml(msg) : e instanceof HttpError ? new HttpError(msg) : new FileError(msg);
    }
    try {
      ra.resMap.appendAll(fileMap);
    } catch (e) {
      throw new FileError(`merging resources from '${path}': ${(e as Error).message}`);
    }
  }

  private accumulateResources(ra: Accumulator, paths: string[]): void {
    for (const p of paths) {
      try {
        this.accumulateFile(ra, p);
      } catch (errF) {
        if (errF instanceof HttpError || !(errF instanceof KustomizeError)) throw errF;
        let ldr: Loader;
        try {
          ldr = this.ldr.newLoader(p);
        } catch (e) {
          if (errF instanceof MalformedYaml) throw errF;
          throw wrap(e, `accumulation err='${errF.message}'`);
        }
        try {
          this.accumulateDirectory(ra, ldr, false);
        } catch (e) {
          throw wrap(e, `accumulation err='${errF.message}'`);
        }
      }
    }
  }

  private accumulateComponents(ra: Accumulator, paths: string[]): Accumulator {
    for (const p of paths) {
      let ldr: Loader;
      try {
        ldr = this.ldr.newLoader(p);
      } catch (e) {
        throw new KustomizeError(`accumulating components: loader.New "${(e as Error).message}"`);
      }
      try {
        ra = this.accumulateDirectory(ra, ldr, true);
      } catch (e) {
        throw new KustomizeError(`accumulating components: accumulateDirectory: "${(e as Error).message}"`);
      }
    }
    return ra;
  }

  private accumulateDirectory(ra: Accumulator, ldr: Loader, isComponent: boolean): Accumulator {
    const sub = new Target(ldr, this.opts);
    try {
      sub.load();
    } catch (e) {
      throw wrap(e, `couldn't make target for path '${ldr.root}'`);
    }
    if (isComponent && sub.k.kind !== 'Component') {
      throw new KustomizeError(`expected kind 'Component' for path '${ldr.root}' but got '${sub.k.kind}'`);
    }
    if (!isComponent && sub.k.kind === 'Component') throw new KustomizeError(`expected kind != 'Component' for path '${ldr.root}'`);
    let subRa: Accumulator;
    try {
      if (isComponent) {
        subRa = sub.accumulateTarget(ra);
        ra = emptyAccumulator();
      } else {
        subRa = sub.accumulateTarget(emptyAccumulator());
      }
    } catch (e) {
      throw wrap(e, `recursed accumulation of path '${ldr.root}'`);
    }
    try {
      ra.resMap.appendAll(subRa.resMap);
    } catch (e) {
      throw wrap(e, `recursed merging from path '${ldr.root}'`);
    }
    return ra;
  }

  private runGenerators(ra: Accumulator): void {
    const global = this.k.generatorOptions;
    for (const args of this.k.configMapGenerator ?? []) {
      const res = makeConfigMap(this.ldr, { ...args, options: mergeOptions(args.options, global) });
      absorb(ra, res);
    }
    for (const args of this.k.secretGenerator ?? []) {
      const res = makeSecret(this.ldr, { ...args, options: mergeOptions(args.options, global) });
      absorb(ra, res);
    }
  }

  private runTransformers(ra: Accumulator): void {
    const k = this.k;
    const tc = ra.config;
    const m = ra.resMap;
    // Every plugin is configured before any runs, so a bad patch fails first.
    const psm = configurePatchesStrategicMerge(this.ldr, k.patchesStrategicMerge ?? []);
    const patches = (k.patches ?? []).map((p) => configurePatch(this.ldr, p));
    const json6902 = (k.patchesJson6902 ?? []).map((p) => configurePatchJson6902(this.ldr, p));
    psm?.(m);
    for (const t of patches) t(m);
    namespaceTransformer(m, k.namespace ?? '', tc.namespace);
    prefixTransformer(m, k.namePrefix ?? '', tc.namePrefix);
    suffixTransformer(m, k.nameSuffix ?? '', tc.nameSuffix);
    for (const label of k.labels ?? []) {
      let fss = mergeSpecs(label.fields ?? [], tc.labels);
      if (label.includeSelectors) fss = mergeSpecs(fss, tc.commonLabels);
      else {
        if (label.includeTemplates) fss = mergeSpecs(fss, tc.templateLabels);
        fss = mergeSpecs(fss, [{ path: 'metadata/labels', create: true }]);
      }
      mapTransformer(m, label.pairs, fss);
    }
    mapTransformer(m, k.commonLabels, tc.commonLabels);
    mapTransformer(m, k.commonAnnotations, tc.commonAnnotations);
    for (const t of json6902) t(m);
    replicaTransformer(m, k.replicas ?? [], tc.replicas);
    imageTransformer(m, k.images ?? [], tc.images);
  }
}

class FileError extends KustomizeError {}
class MalformedYaml extends KustomizeError {}

function emptyAccumulator(): Accumulator {
  return { resMap: new ResMap(), config: defaultConfig() };
}

function absorb(ra: Accumulator, res: Resource): void {
  const one = new ResMap();
  one.list.push(res);
  try {
    ra.resMap.absorbAll(one);
  } catch (e) {
    // Go prints the generator's struct: a pointer, which is no one's business.
    throw wrap(e, 'merging from generator &{0xc000400340 <nil>}');
  }
}

// The legacy order: kinds in kustomize's fixed order, then by id.
function legacySort(m: ResMap, first?: string[], last?: string[]): void {
  const idKey = (id: ResId) => `${gvkString(id.gvk)}|${id.namespace || '~X'}|${id.name || '~N'}`;
  const gvkKey = (g: ResId['gvk']) => `${g.group || '~G'}_${g.version || '~V'}_${g.kind || '~K'}`;
  const ids = new Map(m.list.map((r) => [r, r.curId()]));
  const less = (a: Resource, b: Resource): boolean => {
    const ia = ids.get(a)!;
    const ib = ids.get(b)!;
    if (!gvkEquals(ia.gvk, ib.gvk)) {
      const oa = typeOrder(ia.gvk.kind, first, last);
      const ob = typeOrder(ib.gvk.kind, first, last);
      if (oa !== ob) return oa < ob;
      if (ia.gvk.kind === 'Namespace' && ib.gvk.kind === 'Namespace' && (ia.gvk.group === '' || ib.gvk.group === '')) {
        return goStringLess(gvkKey(ib.gvk), gvkKey(ia.gvk));
      }
      return goStringLess(gvkKey(ia.gvk), gvkKey(ib.gvk));
    }
    return goStringLess(idKey(ia), idKey(ib));
  };
  const sorted = [...m.list].sort((a, b) => (less(a, b) ? -1 : less(b, a) ? 1 : 0));
  m.clear();
  try {
    m.appendAll(sorted);
  } catch (e) {
    throw wrap(wrap(e, 'SortOrderTransformer: Failed to append to resources'), 'legacy sort order');
  }
}

function applySortOrder(m: ResMap, k: Kustomization, reorder: string | undefined): void {
  const so = k.sortOptions;
  if (!so) {
    if (reorder !== 'none') legacySort(m);
    return;
  }
  const order = so.order ?? '';
  if (order !== 'fifo' && order !== 'legacy') throw new KustomizeError("the field 'sortOptions.order' must be one of [fifo, legacy]");
  if (order === 'fifo' && so.legacySortOptions) {
    throw new KustomizeError("the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', not 'legacy'");
  }
  if (order === 'legacy') legacySort(m, so.legacySortOptions?.orderFirst ?? undefined, so.legacySortOptions?.orderLast ?? undefined);
}

// What kubectl prints of each object: build annotations and origin bookkeeping gone.
function finalize(r: Resource): JsonObject {
  const a = r.getAnnotations();
  r.removeBuildAnnotations();
  const left = r.getAnnotations();
  delete left['config.kubernetes.io/origin'];
  delete left['alpha.config.kubernetes.io/transformations'];
  void a;
  r.setAnnotations(left);
  return r.obj;
}

export interface BuildResult {
  objects: JsonObject[];
}

// krusty.Kustomizer.Run with kubectl's options (legacy order, root-only loading).
export function kustomizeBuild(dir: string, opts: BuildOptions): BuildResult {
  const ldr = Loader.atRoot(dir, opts.restrictRoot);
  const kt = new Target(ldr, opts);
  kt.load();
  const ra = kt.accumulateTarget(emptyAccumulator());
  const m = ra.resMap;
  for (const r of m.resources()) {
    if (!r.needHashSuffix()) continue;
    const h = resourceHash(r);
    r.storePreviousId();
    r.setName(`${r.getName()}-${h}`);
  }
  fixBackReferences(m, ra.config.nameReference);
  dropLocalConfig(m);
  applySortOrder(m, kt.k, opts.reorder);
  const objects = m.resources().map(finalize);
  for (const o of objects) if (!isObject(o.metadata)) o.metadata = {};
  return { objects };
}
