import { isObject } from '../../util/json';
import type { JsonObject } from '../../util/json';
import { toYaml } from '../../printers/yaml';
import { KustomizeError, wrap } from './errors';
import { applyFieldSpec, locGet, locSet } from './fieldspec';
import type { Loc, NameBackReference } from './fieldspec';
import type { FieldSpec } from './kustomization';
import type { ResMap } from './resmap';
import { Resource, gvkIsSelected, scalarText } from './resource';
import type { Gvk } from './resource';

// Name references (FixBackReferences): once names have their prefixes,
// suffixes and hashes, every field that names a ConfigMap, Secret, Service,
// ServiceAccount... is pointed at the new name of the one it meant.

type Sieve = (r: Resource) => boolean;

function sieve(list: Resource[], fn: Sieve): Resource[] {
  return list.filter(fn);
}

class RefFilter {
  constructor(
    readonly referrer: Resource,
    readonly spec: FieldSpec,
    readonly target: Partial<Gvk>,
    readonly candidates: ResMap,
  ) {}

  private roleRefFilter(): Sieve {
    if (!this.spec.path.endsWith('roleRef/name')) return () => true;
    const roleRef = this.referrer.obj.roleRef;
    if (!isObject(roleRef) || roleRef.apiGroup === undefined || roleRef.kind === undefined) return () => true;
    const gvk = { group: scalarText(roleRef.apiGroup), kind: scalarText(roleRef.kind) };
    return (r) => r.prevIds().some((id) => id.isSelected(gvk));
  }

  private sameNamespace(): Sieve {
    const rid = this.referrer.curId();
    if (rid.isClusterScoped()) return () => true;
    return (r) => r.curId().isClusterScoped() || r.getKind() === 'ServiceAccount' || rid.isNsEquals(r.curId());
  }

  private select(oldName: string, candidates: Resource[], identical: (l: Resource[]) => boolean): Resource | undefined {
    let c = sieve(candidates, (r) => r.prevIds().some((id) => id.name === oldName));
    c = sieve(c, (r) => r.prevIds().some((id) => gvkIsSelected(id.gvk, this.target)));
    c = sieve(c, this.roleRefFilter());
    c = sieve(c, this.sameNamespace());
    if (c.length === 1) return c[0];
    c = sieve(c, (r) => r.prefixesSuffixesEquals(this.referrer, true));
    if (c.length > 1) c = sieve(c, (r) => r.prefixesSuffixesEquals(this.referrer, false));
    if (c.length === 1) return c[0];
    if (c.length === 0) return undefined;
    if (identical(c)) return c[0];
    const ids = c.map((r) => r.curId().toString()).join(', ');
    let details = `\n**** Too many possible referral targets to referrer:\n${toYaml(this.referrer.obj)}\n`;
    c.forEach((r, i) => (details += `--- possible referral ${i}:\n${toYaml(r.obj)}\n`));
    throw new KustomizeError(`found multiple possible referrals: ${ids}\n${details}`);
  }

  private setScalar(l: Loc): void {
    const value = scalarText(locGet(l));
    const referral = this.select(value, this.candidates.resources(), (list) => list.every((r) => r.getName() === list[0].getName()));
    if (!referral) return;
    referral.appendRefBy(this.referrer.curId());
    if (referral.getName() === value) return;
    locSet(l, referral.getName());
  }

  private setMapping(node: JsonObject): void {
    if (!('name' in node)) throw new KustomizeError("path config error; no 'name' field in node");
    let candidates = this.candidates.resources();
    if ('namespace' in node) {
      const ns = scalarText(node.namespace);
      candidates = this.candidates.groupedByOriginalNamespace().get(ns) ?? this.candidates.groupedByCurrentNamespace().get(ns) ?? [];
    }
    const oldName = scalarText(node.name);
    const referral = this.select(oldName, candidates, (list) =>
      list.every((r) => r.getName() === list[0].getName() && r.getNamespace() === list[0].getNamespace()),
    );
    if (!referral) return;
    referral.appendRefBy(this.referrer.curId());
    if (referral.getName() === oldName && referral.getNamespace() === '') return;
    node.name = referral.getName();
    if (referral.getNamespace() === '') return;
    node.namespace = referral.getNamespace();
  }

  set(l: Loc): void {
    const v = locGet(l);
    if (v === null || v === undefined) return;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const e = v[i];
        if (e === null) continue;
        if (isObject(e)) this.setMapping(e);
        else if (Array.isArray(e)) throw new KustomizeError(`${JSON.stringify(e)} is expected to be either a string or a map of string`);
        else this.setScalar({ parent: v, key: i });
      }
      return;
    }
    if (isObject(v)) this.setMapping(v);
    else this.setScalar(l);
  }

  run(): void {
    const spec = { ...this.spec, ...this.referrer.getGvk(), create: false };
    try {
      applyFieldSpec(this.referrer, spec, (l) => this.set(l), undefined);
    } catch (e) {
      throw wrap(e, `updating name reference in '${this.spec.path}' field of '${this.referrer.curId().toString()}'`);
    }
  }
}

export function fixBackReferences(m: ResMap, backRefs: NameBackReference[]): void {
  const resources = m.resources();
  const orgIds = resources.map((r) => r.orgId());
  const filters = new Map<Resource, { spec: FieldSpec; target: Partial<Gvk> }[]>();
  for (const br of backRefs) {
    for (const spec of br.referrers) {
      resources.forEach((r, i) => {
        if (orgIds[i].isSelected({ group: spec.group, version: spec.version, kind: spec.kind })) {
          filters.set(r, [...(filters.get(r) ?? []), { spec, target: br.gvk }]);
        }
      });
    }
  }
  for (const [r, list] of filters) {
    const candidates = m.subsetThatCouldBeReferencedBy(r);
    for (const f of list) new RefFilter(r, f.spec, f.target, candidates).run();
  }
}
