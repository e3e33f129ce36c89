import type { Command } from './command';

// The command tree. Verb modules load lazily, so a command pays only for itself.

export interface CommandNode {
  name: string;
  aliases?: string[];
  load?: () => Command;
  children?: CommandNode[];
}

// `load` requires the verb's module by a literal path, so that a bundler (the
// single executable's, scripts/build-sea.ts) sees every verb.
type Loader = () => unknown;

function verb(name: string, load: Loader, aliases?: string[]): CommandNode {
  return { name, aliases, load: () => (load() as { command: Command }).command };
}

function group(name: string, load: Loader | undefined, children: CommandNode[], aliases?: string[]): CommandNode {
  return { ...(load ? verb(name, load, aliases) : { name, aliases }), children };
}

const createChildren: CommandNode[] = [
  verb('clusterrole', () => require('./verbs/create/clusterrole')),
  verb('clusterrolebinding', () => require('./verbs/create/clusterrolebinding')),
  verb('configmap', () => require('./verbs/create/configmap'), ['cm']),
  verb('cronjob', () => require('./verbs/create/cronjob'), ['cj']),
  verb('deployment', () => require('./verbs/create/deployment'), ['deploy']),
  verb('ingress', () => require('./verbs/create/ingress'), ['ing']),
  verb('job', () => require('./verbs/create/job')),
  verb('namespace', () => require('./verbs/create/namespace'), ['ns']),
  verb('poddisruptionbudget', () => require('./verbs/create/poddisruptionbudget'), ['pdb']),
  verb('quota', () => require('./verbs/create/quota'), ['resourcequota']),
  verb('role', () => require('./verbs/create/role')),
  verb('rolebinding', () => require('./verbs/create/rolebinding')),
  group('secret', undefined, [
    verb('docker-registry', () => require('./verbs/create/secret-docker-registry')),
    verb('generic', () => require('./verbs/create/secret-generic')),
    verb('tls', () => require('./verbs/create/secret-tls')),
  ]),
  group(
    'service',
    undefined,
    [
      verb('clusterip', () => require('./verbs/create/service-clusterip')),
      verb('externalname', () => require('./verbs/create/service-externalname')),
      verb('loadbalancer', () => require('./verbs/create/service-loadbalancer')),
      verb('nodeport', () => require('./verbs/create/service-nodeport')),
    ],
    ['svc'],
  ),
  verb('serviceaccount', () => require('./verbs/create/serviceaccount'), ['sa']),
];

export const ROOT: CommandNode = {
  name: 'kubectl',
  children: [
    verb('alpha', () => require('./verbs/alpha')),
    verb('annotate', () => require('./verbs/annotate')),
    verb('api-resources', () => require('./verbs/api-resources')),
    verb('api-versions', () => require('./verbs/api-versions')),
    verb('apply', () => require('./verbs/apply')),
    verb('attach', () => require('./verbs/attach')),
    verb('autoscale', () => require('./verbs/autoscale')),
    verb('cluster-info', () => require('./verbs/cluster-info')),
    group('config', undefined, [
      verb('current-context', () => require('./verbs/config/current-context')),
      verb('get-contexts', () => require('./verbs/config/get-contexts')),
      verb('set-context', () => require('./verbs/config/set-context')),
      verb('use-context', () => require('./verbs/config/use-context'), ['use']),
      verb('view', () => require('./verbs/config/view')),
    ]),
    verb('cordon', () => require('./verbs/cordon')),
    group('create', () => require('./verbs/create'), createChildren),
    verb('debug', () => require('./verbs/debug')),
    verb('delete', () => require('./verbs/delete')),
    verb('describe', () => require('./verbs/describe')),
    verb('diff', () => require('./verbs/diff')),
    verb('drain', () => require('./verbs/drain')),
    verb('edit', () => require('./verbs/edit')),
    verb('events', () => require('./verbs/events')),
    verb('exec', () => require('./verbs/exec')),
    verb('explain', () => require('./verbs/explain')),
    verb('expose', () => require('./verbs/expose')),
    verb('get', () => require('./verbs/get')),
    verb('kustomize', () => require('./verbs/kustomize')),
    verb('label', () => require('./verbs/label')),
    verb('logs', () => require('./verbs/logs')),
    verb('patch', () => require('./verbs/patch')),
    verb('port-forward', () => require('./verbs/port-forward')),
    verb('proxy', () => require('./verbs/proxy')),
    verb('replace', () => require('./verbs/replace')),
    group('rollout', undefined, [
      verb('history', () => require('./verbs/rollout/history')),
      verb('pause', () => require('./verbs/rollout/pause')),
      verb('restart', () => require('./verbs/rollout/restart')),
      verb('resume', () => require('./verbs/rollout/resume')),
      verb('status', () => require('./verbs/rollout/status')),
      verb('undo', () => require('./verbs/rollout/undo')),
    ]),
    verb('run', () => require('./verbs/run')),
    verb('scale', () => require('./verbs/scale')),
    group('set', undefined, [
      verb('env', () => require('./verbs/set/env')),
      verb('image', () => require('./verbs/set/image')),
      verb('resources', () => require('./verbs/set/resources')),
      verb('selector', () => require('./verbs/set/selector')),
      verb('serviceaccount', () => require('./verbs/set/serviceaccount'), ['sa']),
    ]),
    verb('taint', () => require('./verbs/taint')),
    verb('uncordon', () => require('./verbs/uncordon')),
    group('top', undefined, [verb('node', () => require('./verbs/top-node'), ['no', 'nodes']), verb('pod', () => require('./verbs/top'), ['po', 'pods'])]),
    verb('version', () => require('./verbs/version')),
    verb('wait', () => require('./verbs/wait')),
  ],
};

export function findChild(node: CommandNode, word: string): CommandNode | undefined {
  return node.children?.find((c) => c.name === word || (c.aliases ?? []).includes(word));
}
