import { isObject } from '../../util/json';
import { parseLabelSelector, matchesRequirements } from '../../api/selectors';
import { KustomizeError } from './errors';
import { Resource, ResId } from './resource';
import type { Selector } from './kustomization';

// kustomize's ResMap (resWrangler): resources in order, no two with the same
// current id, and the lookups transformers use.

export type IdMatcher = (id: ResId) => boolean;

export class ResMap {
  list: Resource[] = [];

  resources(): Resource[] {
    return [...this.list];
  }

  size(): number {
    return this.list.length;
  }

  clear(): void {
    this.list = [];
  }

  append(res: Resource): void {
    const id = res.curId();
    if (this.byCurrentId((x) => id.equals(x)).length > 0) {
      throw new KustomizeError(`may not add resource with an already registered id: ${id.toString()}`);
    }
    this.list.push(res);
  }

  appendAll(other: ResMap | Resource[]): void {
    for (const r of Array.isArray(other) ? other : other.list) this.append(r);
  }

  byCurrentId(m: IdMatcher): Resource[] {
    return this.list.filter((r) => m(r.curId()));
  }

  byAnyId(m: IdMatcher): Resource[] {
    return this.list.filter((r) => [...r.prevIds(), r.curId()].some(m));
  }

  // GetById: exactly one resource, by any of its ids.
  getById(id: ResId): Resource {
    const r = this.byAnyId((x) => id.equals(x));
    if (r.length === 1) return r[0];
    const why = r.length > 1 ? `multiple matches for Id ${id.toString()}` : `no matches for Id ${id.toString()}`;
    throw new KustomizeError(`${why}; failed to find unique target for patch ${id.toString()}`);
  }

  replace(res: Resource): number {
    const id = res.curId();
    const idx = this.list.map((r, i) => (id.equals(r.curId()) ? i : -1)).filter((i) => i >= 0);
    if (idx.length > 1) throw new KustomizeError(`in Replace: id matched ${idx.length} resources`);
    if (idx.length === 0) throw new KustomizeError(`cannot find resource with id ${id.toString()} to replace`);
    this.list[idx[0]] = res;
    return idx[0];
  }

  remove(id: ResId): void {
    const before = this.list.length;
    this.list = this.list.filter((r) => r.curId().toString() !== id.toString());
    if (this.list.length !== before - 1) throw new KustomizeError(`id ${id.toString()} not found in removal`);
  }

  // AbsorbAll: what generators produce is added, or merged into / replaces
  // the resource of the same id, as its behavior says.
  absorbAll(other: ResMap): void {
    for (const r of other.list) this.appendReplaceOrMerge(r);
  }

  private appendReplaceOrMerge(res: Resource): void {
    const id = res.curId();
    const matches = this.byAnyId((x) => id.equals(x));
    if (matches.length === 0) {
      const b = res.behavior();
      if (b === 'merge' || b === 'replace') throw new KustomizeError(`id ${id.goSyntax()} does not exist; cannot merge or replace`);
      this.append(res);
      return;
    }
    if (matches.length > 1) {
      throw new KustomizeError(`found multiple objects [${matches.map((m) => m.curId().toString()).join(' ')}] that could accept merge of ${id.toString()}`);
    }
    const old = matches[0];
    switch (res.behavior()) {
      case 'replace':
        res.copyMergeMetaDataFieldsFrom(old);
        break;
      case 'merge':
        res.copyMergeMetaDataFieldsFrom(old);
        res.setDataMap({ ...old.getDataMap(), ...res.getDataMap() });
        res.setBinaryDataMap({ ...old.getBinaryDataMap(), ...res.getBinaryDataMap() });
        break;
      default:
        throw new KustomizeError(`id ${id.goSyntax()} exists; behavior must be merge or replace`);
    }
    const i = this.list.indexOf(old);
    this.list[i] = res;
  }

  groupedByCurrentNamespace(): Map<string, Resource[]> {
    return this.grouped((r) => r.curId().effectiveNamespace());
  }

  groupedByOriginalNamespace(): Map<string, Resource[]> {
    return this.grouped((r) => r.orgId().effectiveNamespace());
  }

  private grouped(ns: (r: Resource) => string): Map<string, Resource[]> {
    const out = new Map<string, Resource[]>();
    for (const r of this.list) {
      const n = ns(r);
      if (n === '_non_namespaceable_') continue;
      out.set(n, [...(out.get(n) ?? []), r]);
    }
    return out;
  }

  // The resources a referrer may name: cluster-scoped ones, those in its
  // namespace, and for a RoleBinding those of its ServiceAccount subjects'.
  subsetThatCouldBeReferencedBy(referrer: Resource): ResMap {
    const rid = referrer.curId();
    if (rid.isClusterScoped()) return this;
    const out = new ResMap();
    const roleBindingNs = new Set<string>();
    if (referrer.getKind() === 'RoleBinding' && Array.isArray(referrer.obj.subjects)) {
      for (const s of referrer.obj.subjects) {
        if (isObject(s) && 'namespace' in s && s.kind === 'ServiceAccount' && typeof s.namespace === 'string') roleBindingNs.add(s.namespace);
      }
    }
    for (const t of this.list) {
      const id = t.curId();
      if (id.isClusterScoped() || id.isNsEquals(rid) || roleBindingNs.has(t.getNamespace())) out.list.push(t);
    }
    return out;
  }

  // Select: a patch target; names and namespaces are anchored regexps.
  select(s: Selector): Resource[] {
    const re = (p: string | undefined) => (p ? new RegExp(`^(?:${p})$`) : undefined);
    let nameRe: RegExp | undefined;
    let nsRe: RegExp | undefined;
    try {
      nameRe = re(s.name);
      nsRe = re(s.namespace);
    } catch (e) {
      throw new KustomizeError(`error parsing regexp: ${(e as Error).message}`);
    }
    const gvkRe = {
      group: re(s.group),
      version: re(s.version),
      kind: re(s.kind),
    };
    const out: Resource[] = [];
    for (const r of this.list) {
      const cur = r.curId();
      const org = r.orgId();
      if (nsRe && !nsRe.test(org.effectiveNamespace()) && !nsRe.test(cur.effectiveNamespace())) continue;
      if (nameRe && !nameRe.test(org.name) && !nameRe.test(cur.name)) continue;
      const g = r.getGvk();
      if (gvkRe.group && !gvkRe.group.test(g.group)) continue;
      if (gvkRe.version && !gvkRe.version.test(g.version)) continue;
      if (gvkRe.kind && !gvkRe.kind.test(g.kind)) continue;
      if (s.labelSelector && !matchesSelector(s.labelSelector, r.getLabels())) continue;
      if (s.annotationSelector && !matchesSelector(s.annotationSelector, r.getAnnotations())) continue;
      out.push(r);
    }
    return out;
  }
}

function matchesSelector(selector: string, set: Record<string, string>): boolean {
  let reqs;
  try {
    reqs = parseLabelSelector(selector);
  } catch (e) {
    throw new KustomizeError((e as Error).message);
  }
  return matchesRequirements(reqs, set);
}
