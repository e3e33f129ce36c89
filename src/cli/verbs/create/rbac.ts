import type { CommandContext } from '../../command';
import { CliError, ExitError } from '../../errors';
import { discoveryOrder } from '../../../api/kinds';

// What `create role` and `create clusterrole` share (create_role.go): the verb and
// resource options, their checks against discovery, and the policy rules.

export const VALID_RESOURCE_VERBS = [
  '*',
  'get',
  'delete',
  'list',
  'create',
  'update',
  'patch',
  'watch',
  'proxy',
  'deletecollection',
  'use',
  'bind',
  'escalate',
  'impersonate',
];

// Verbs allowed only on these group/resources.
const SPECIAL_VERBS: Record<string, [string, string][]> = {
  use: [
    ['policy', 'podsecuritypolicies'],
    ['extensions', 'podsecuritypolicies'],
  ],
  bind: [
    ['rbac.authorization.k8s.io', 'roles'],
    ['rbac.authorization.k8s.io', 'clusterroles'],
  ],
  escalate: [
    ['rbac.authorization.k8s.io', 'roles'],
    ['rbac.authorization.k8s.io', 'clusterroles'],
  ],
  impersonate: [
    ['', 'users'],
    ['', 'serviceaccounts'],
    ['', 'groups'],
    ['authentication.k8s.io', 'userextras'],
  ],
};

export interface ResourceOption {
  group: string;
  resource: string;
  subresource: string;
}

export interface RoleOptions {
  verbs: string[];
  resources: ResourceOption[];
  resourceNames: string[];
}

export function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

// Complete: verbs deduplicated (`*` stands for all), `--resource=resource.group/sub`
// parsed (a bare `*` replaces the rest), resource names deduplicated.
export function roleOptions(ctx: CommandContext): RoleOptions {
  const rawVerbs = ctx.flags.list('verb');
  const verbs = rawVerbs.includes('*') ? ['*'] : unique(rawVerbs);
  let resources: ResourceOption[] = [];
  for (const r of ctx.flags.list('resource')) {
    const slash = r.indexOf('/');
    const main = slash < 0 ? r : r.slice(0, slash);
    const dot = main.indexOf('.');
    const option = {
      resource: dot < 0 ? main : main.slice(0, dot),
      group: dot < 0 ? '' : main.slice(dot + 1),
      subresource: slash < 0 ? '' : r.slice(slash + 1),
    };
    if (option.resource === '*' && dot < 0 && slash < 0) {
      resources = [option];
      break;
    }
    resources.push(option);
  }
  return { verbs, resources, resourceNames: unique(ctx.flags.list('resource-name')) };
}

// The RESTMapper's ResourceFor: plural or singular names in any case, short names as
// written; the core group first when several groups match.
function resourceFor(resource: string, group: string): { resource: string; group: string } | undefined {
  const lower = resource.toLowerCase();
  const found = discoveryOrder().find(
    (k) => (group === '' || k.group === group) && (k.resource === lower || k.singular === lower || k.shortNames.includes(resource)),
  );
  return found ? { resource: found.resource, group: found.group } : undefined;
}

// kubectl prints RESTMapper misses without the `error: ` prefix.
function noMatch(ctx: CommandContext, r: ResourceOption): never {
  ctx.io.err(`the server doesn't have a resource type "${r.resource}"${r.group ? ` in group "${r.group}"` : ''}\n`);
  throw new ExitError(1);
}

export function warnNonStandardVerbs(ctx: CommandContext, verbs: readonly string[]): void {
  for (const v of verbs) if (!VALID_RESOURCE_VERBS.includes(v)) ctx.io.err(`Warning: '${v}' is not a standard resource verb\n`);
}

// validateResource: every resource known (or `*`), special verbs only where they apply.
export function validateResources(ctx: CommandContext, o: RoleOptions): void {
  for (const r of o.resources) {
    if (r.resource === '') throw new CliError('error: resource must be specified if apiGroup/subresource specified');
    if (r.resource === '*') return;
    const mapped = resourceFor(r.resource, r.group);
    const target = mapped ?? { resource: r.resource, group: r.group };
    let known = mapped !== undefined;
    for (const v of o.verbs) {
      const allowed = SPECIAL_VERBS[v];
      if (!allowed) continue;
      if (!allowed.some(([g, res]) => g === target.group && res === target.resource)) {
        throw new CliError(`error: can not perform '${v}' on '${target.resource}' in group '${target.group}'`);
      }
      known = true;
    }
    if (!known) noMatch(ctx, r);
  }
}

// generateResourcePolicyRules: one rule per API group (groups sorted), then one for
// the non-resource URLs.
export function policyRules(o: RoleOptions, nonResourceURLs: readonly string[]): Record<string, unknown>[] {
  const byGroup = new Map<string, string[]>();
  for (const r of o.resources) {
    const mapped = resourceFor(r.resource, r.group) ?? { resource: r.resource, group: r.group };
    const name = r.subresource ? `${mapped.resource}/${r.subresource}` : mapped.resource;
    const list = byGroup.get(mapped.group) ?? [];
    if (!list.includes(name)) list.push(name);
    byGroup.set(mapped.group, list);
  }
  const rules: Record<string, unknown>[] = [...byGroup.keys()]
    .sort()
    .map((g) => ({ verbs: o.verbs, apiGroups: [g], resources: byGroup.get(g), resourceNames: o.resourceNames }));
  if (nonResourceURLs.length > 0) rules.push({ verbs: o.verbs, nonResourceURLs });
  return rules;
}
