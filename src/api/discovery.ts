import type { APIGroup, APIGroupList, APIResource, APIResourceList } from 'kubernetes-types/meta/v1';
import type { KindInfo } from './kinds';
import { KINDS, apiVersionOf } from './kinds';

// Discovery documents (the APIGroupList at /apis, an APIResourceList at
// /api/v1 and /apis/<group>/<version>) built from the kinds registry.
// `kubectl proxy` serves them as kube-apiserver writes them; the test API
// servers serve them to the real kubectl. What differs between the two
// (which subresources are listed, the order, extra groups) is a parameter.

// A group and its served versions, the preferred one first.
export interface ServedGroup {
  group: string;
  versions: string[];
}

// The versions a kind is served in, the preferred one first.
export function servedVersions(k: KindInfo): string[] {
  return [k.version, ...(k.otherVersions ?? [])];
}

// Each group version ("v1", "apps/v1") with its kinds, in the order of `kinds`.
export function groupVersions(kinds: readonly KindInfo[] = KINDS): Map<string, KindInfo[]> {
  const out = new Map<string, KindInfo[]>();
  for (const k of kinds) {
    for (const v of servedVersions(k)) {
      const gv = apiVersionOf(k, v);
      out.set(gv, [...(out.get(gv) ?? []), k]);
    }
  }
  return out;
}

// The named groups (not the core one) in the order their kinds come in `kinds`.
export function servedGroups(kinds: readonly KindInfo[] = KINDS): ServedGroup[] {
  const groups: ServedGroup[] = [];
  for (const k of kinds) {
    if (k.group === '') continue;
    let g = groups.find((x) => x.group === k.group);
    if (!g) groups.push((g = { group: k.group, versions: [] }));
    for (const v of servedVersions(k)) if (!g.versions.includes(v)) g.versions.push(v);
  }
  return groups;
}

// A group as /apis lists it (and /apis/<group> serves it, with its kind).
export function apiGroup(g: ServedGroup): APIGroup {
  const versions = g.versions.map((version) => ({ groupVersion: `${g.group}/${version}`, version }));
  return { name: g.group, versions, preferredVersion: versions[0] };
}

export function apiGroupList(groups: ServedGroup[]): APIGroupList {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(apiGroup) };
}

// A subresource as discovery lists it after its kind: `pods/status`. A group
// and version are named where its kind is another group's (Scale).
export interface Subresource {
  name: string;
  kind: string;
  verbs: string[];
  groupVersion?: { group: string; version: string };
}

// status, for the kinds whose status is written through it only.
export function statusSubresource(k: KindInfo): Subresource[] {
  return k.statusSubresource ? [{ name: 'status', kind: k.kind, verbs: ['get', 'patch', 'update'] }] : [];
}

// Each kind's resource followed by the subresources `subresources` gives it.
export function kindResources(kinds: readonly KindInfo[], subresources: (k: KindInfo) => Subresource[] = () => []): APIResource[] {
  return kinds.flatMap((k) => [
    {
      name: k.resource,
      singularName: k.singular,
      namespaced: k.namespaced,
      kind: k.kind,
      verbs: k.verbs,
      ...(k.shortNames.length > 0 ? { shortNames: k.shortNames } : {}),
      ...(k.categories.length > 0 ? { categories: k.categories } : {}),
    },
    ...subresources(k).map((s) => ({
      name: `${k.resource}/${s.name}`,
      singularName: '',
      namespaced: k.namespaced,
      ...(s.groupVersion ? { group: s.groupVersion.group, version: s.groupVersion.version } : {}),
      kind: s.kind,
      verbs: s.verbs,
    })),
  ]);
}

export interface ResourceListOptions {
  // kube-apiserver lists resources by name, and names no apiVersion in the
  // core group's list; without these, resources keep the order given and
  // every list names apiVersion v1.
  sortByName?: boolean;
  noCoreApiVersion?: boolean;
}

// The APIResourceList of a group version ("v1", "apps/v1").
export function apiResourceList(groupVersion: string, resources: APIResource[], opts: ResourceListOptions = {}): APIResourceList {
  const listed = opts.sortByName ? [...resources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) : resources;
  if (opts.noCoreApiVersion && !groupVersion.includes('/')) return { kind: 'APIResourceList', groupVersion, resources: listed };
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: listed };
}
