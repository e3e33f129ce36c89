import type { Command } from './command';

// The command tree. Verb modules load lazily, so a command pays only for itself.

export interface CommandNode {
  name: string;
  aliases?: string[];
  load?: () => Command;
  children?: CommandNode[];
}

function verb(name: string, file: string, aliases?: string[]): CommandNode {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return { name, aliases, load: () => (require(`./verbs/${file}`) as { command: Command }).command };
}

function group(name: string, file: string | undefined, children: CommandNode[], aliases?: string[]): CommandNode {
  return { ...(file ? verb(name, file, aliases) : { name, aliases }), children };
}

const createChildren: CommandNode[] = [
  verb('clusterrole', 'create/clusterrole'),
  verb('clusterrolebinding', 'create/clusterrolebinding'),
  verb('configmap', 'create/configmap', ['cm']),
  verb('cronjob', 'create/cronjob', ['cj']),
  verb('deployment', 'create/deployment', ['deploy']),
  verb('ingress', 'create/ingress', ['ing']),
  verb('job', 'create/job'),
  verb('namespace', 'create/namespace', ['ns']),
  verb('poddisruptionbudget', 'create/poddisruptionbudget', ['pdb']),
  verb('quota', 'create/quota', ['resourcequota']),
  verb('role', 'create/role'),
  verb('rolebinding', 'create/rolebinding'),
  group('secret', undefined, [
    verb('docker-registry', 'create/secret-docker-registry'),
    verb('generic', 'create/secret-generic'),
    verb('tls', 'create/secret-tls'),
  ]),
  group(
    'service',
    undefined,
    [
      verb('clusterip', 'create/service-clusterip'),
      verb('externalname', 'create/service-externalname'),
      verb('loadbalancer', 'create/service-loadbalancer'),
      verb('nodeport', 'create/service-nodeport'),
    ],
    ['svc'],
  ),
  verb('serviceaccount', 'create/serviceaccount', ['sa']),
];

export const ROOT: CommandNode = {
  name: 'kubectl',
  children: [
    verb('alpha', 'alpha'),
    verb('annotate', 'annotate'),
    verb('api-resources', 'api-resources'),
    verb('api-versions', 'api-versions'),
    verb('apply', 'apply'),
    verb('attach', 'attach'),
    verb('autoscale', 'autoscale'),
    verb('cluster-info', 'cluster-info'),
    group('config', undefined, [
      verb('current-context', 'config/current-context'),
      verb('get-contexts', 'config/get-contexts'),
      verb('set-context', 'config/set-context'),
      verb('use-context', 'config/use-context', ['use']),
      verb('view', 'config/view'),
    ]),
    verb('cordon', 'cordon'),
    group('create', 'create', createChildren),
    verb('debug', 'debug'),
    verb('delete', 'delete'),
    verb('describe', 'describe'),
    verb('diff', 'diff'),
    verb('drain', 'drain'),
    verb('edit', 'edit'),
    verb('events', 'events'),
    verb('exec', 'exec'),
    verb('explain', 'explain'),
    verb('expose', 'expose'),
    verb('get', 'get'),
    verb('kustomize', 'kustomize'),
    verb('label', 'label'),
    verb('logs', 'logs'),
    verb('patch', 'patch'),
    verb('port-forward', 'port-forward'),
    verb('proxy', 'proxy'),
    verb('replace', 'replace'),
    group('rollout', undefined, [
      verb('history', 'rollout/history'),
      verb('pause', 'rollout/pause'),
      verb('restart', 'rollout/restart'),
      verb('resume', 'rollout/resume'),
      verb('status', 'rollout/status'),
      verb('undo', 'rollout/undo'),
    ]),
    verb('run', 'run'),
    verb('scale', 'scale'),
    group('set', undefined, [
      verb('env', 'set/env'),
      verb('image', 'set/image'),
      verb('resources', 'set/resources'),
      verb('selector', 'set/selector'),
      verb('serviceaccount', 'set/serviceaccount', ['sa']),
    ]),
    verb('taint', 'taint'),
    verb('uncordon', 'uncordon'),
    group('top', undefined, [verb('node', 'top-node', ['no', 'nodes']), verb('pod', 'top', ['po', 'pods'])]),
    verb('version', 'version'),
    verb('wait', 'wait'),
  ],
};

export function findChild(node: CommandNode, word: string): CommandNode | undefined {
  return node.children?.find((c) => c.name === word || (c.aliases ?? []).includes(word));
}
