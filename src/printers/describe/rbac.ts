import type { PolicyRule, RoleBinding, Role } from 'kubernetes-types/rbac/v1';
import type { KubeObject } from '../../api/types';
import { LEVEL_0, LEVEL_1, goList, stableSort, tabbed } from './engine';
import { printMeta } from './common';

// Role, ClusterRole, RoleBinding, ClusterRoleBinding. kubectl breaks rules down
// to one verb/resource/name each, merges the verbs of simple ones back, and
// sorts the result by the rule's generated String().

interface Rule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

function breakdown(rule: PolicyRule): Rule[] {
  const out: Rule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs) {
        const names = rule.resourceNames ?? [];
        if (names.length > 0) {
          for (const name of names) out.push({ apiGroups: [group], resources: [resource], verbs: [verb], resourceNames: [name] });
        } else {
          out.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
        }
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) for (const verb of rule.verbs) out.push({ nonResourceURLs: [url], verbs: [verb] });
  return out;
}

// CompactRules: rules naming one group, one resource and at most one name
// merge their verbs. kubectl appends the merged ones in map order; the sort
// below makes that order irrelevant.
function compact(rules: Rule[]): Rule[] {
  const out: Rule[] = [];
  const simple = new Map<string, Rule>();
  for (const r of rules) {
    const isSimple = (r.resourceNames ?? []).length <= 1 && (r.nonResourceURLs ?? []).length === 0 && r.apiGroups?.length === 1 && r.resources?.length === 1;
    if (!isSimple) {
      out.push(r);
      continue;
    }
    const key = JSON.stringify([r.apiGroups![0], r.resources![0], r.resourceNames?.[0] ?? null]);
    const existing = simple.get(key);
    if (existing) {
      for (const v of r.verbs) if (!existing.verbs.includes(v)) existing.verbs.push(v);
    } else {
      simple.set(key, { ...r, verbs: [...r.verbs] });
    }
  }
  return [...out, ...simple.values()];
}

// PolicyRule.String(), the sort key.
function ruleString(r: Rule): string {
  return (
    `&PolicyRule{Verbs:${goList(r.verbs)},APIGroups:${goList(r.apiGroups)},Resources:${goList(r.resources)},` +
    `ResourceNames:${goList(r.resourceNames)},NonResourceURLs:${goList(r.nonResourceURLs)},}`
  );
}

// CombineResourceGroup: `resource.group[/subresource]`.
function resourceGroup(resources: string[] | undefined, groups: string[] | undefined): string {
  if (!resources || resources.length === 0) return '';
  const [resource, sub] = resources[0].split(/\/(.*)/s);
  let out = resource;
  if (groups && groups.length > 0 && groups[0] !== '') out += `.${groups[0]}`;
  if (sub !== undefined) out += `/${sub}`;
  return out;
}

export function describeRole(obj: KubeObject): string {
  const role = obj as unknown as Role;
  const rules = stableSort(compact((role.rules ?? []).flatMap(breakdown)), (a, b) => ruleString(a) < ruleString(b));
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
    printMeta(w, obj);
    w.write(LEVEL_0, 'PolicyRule:\n');
    w.write(LEVEL_1, 'Resources\tNon-Resource URLs\tResource Names\tVerbs\n');
    w.write(LEVEL_1, '---------\t-----------------\t--------------\t-----\n');
    for (const r of rules) {
      w.write(LEVEL_1, `${resourceGroup(r.resources, r.apiGroups)}\t${goList(r.nonResourceURLs)}\t${goList(r.resourceNames)}\t${goList(r.verbs)}\n`);
    }
  });
}

export function describeRoleBinding(obj: KubeObject): string {
  const binding = obj as unknown as RoleBinding;
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
    printMeta(w, obj);
    w.write(LEVEL_0, 'Role:\n');
    w.write(LEVEL_1, `Kind:\t${binding.roleRef?.kind ?? ''}\n`);
    w.write(LEVEL_1, `Name:\t${binding.roleRef?.name ?? ''}\n`);
    w.write(LEVEL_0, 'Subjects:\n');
    w.write(LEVEL_1, 'Kind\tName\tNamespace\n');
    w.write(LEVEL_1, '----\t----\t---------\n');
    for (const s of binding.subjects ?? []) w.write(LEVEL_1, `${s.kind}\t${s.name}\t${s.namespace ?? ''}\n`);
  });
}
