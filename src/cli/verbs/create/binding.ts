import type { CommandContext } from '../../command';
import type { FlagDef } from '../../flags';
import { CliError } from '../../errors';

// The subjects of `create rolebinding` and `create clusterrolebinding`: users, then
// groups, then service accounts (`namespace:name`).

export const BINDING_FLAGS: FlagDef[] = [
  { name: 'clusterrole', kind: 'string' },
  { name: 'user', kind: 'stringArray' },
  { name: 'group', kind: 'stringArray' },
  { name: 'serviceaccount', kind: 'stringArray' },
];

export function bindingSubjects(ctx: CommandContext): Record<string, string>[] | undefined {
  const rbac = 'rbac.authorization.k8s.io';
  const subjects: Record<string, string>[] = [
    ...ctx.flags.list('user').map((name) => ({ kind: 'User', apiGroup: rbac, name })),
    ...ctx.flags.list('group').map((name) => ({ kind: 'Group', apiGroup: rbac, name })),
  ];
  for (const sa of ctx.flags.list('serviceaccount')) {
    const tokens = sa.split(':');
    if (tokens.length !== 2 || tokens[0] === '' || tokens[1] === '') throw new CliError('error: serviceaccount must be <namespace>:<name>');
    subjects.push({ kind: 'ServiceAccount', apiGroup: '', namespace: tokens[0], name: tokens[1] });
  }
  // A nil slice in Go when nothing was added.
  return subjects.length > 0 ? subjects : undefined;
}
