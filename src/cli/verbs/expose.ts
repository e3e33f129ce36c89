import type { Command, CommandContext } from '../command';
import type { KubeObject } from '../../api/types';
import type { LabelSelector, LabelSelectorRequirement } from 'kubernetes-types/meta/v1';
import type { PodSpec } from 'kubernetes-types/core/v1';
import { CliError } from '../errors';
import { DRY_RUN_FLAG, OUTPUT_FLAGS, dryRunSuffix, parseDryRun, parseFormat } from '../output';
import { FILENAME_FLAGS, raiseAll, selectOptions, selectTargets } from '../builder';
import type { Target } from '../builder';
import { CHANGE_CAUSE, RECORD_FLAG, changeCause } from '../record';
import { klogWarning } from '../klog';
import { printTyped, sendGenerated, withLastAppliedTyped } from './create/common';
import { patchLocally } from './patch';
import type { PatchType } from '../../api/patch';

// kubectl expose: a Service for a pod, a service, a replication controller,
// a deployment or a replica set, its selector, ports and protocols found in
// the object unless given, built as kubectl's service generator builds it.

const FLAGS = [
  ...OUTPUT_FLAGS,
  RECORD_FLAG,
  DRY_RUN_FLAG,
  ...FILENAME_FLAGS,
  { name: 'protocol', kind: 'string' as const },
  { name: 'port', kind: 'string' as const },
  { name: 'type', kind: 'string' as const },
  { name: 'load-balancer-ip', kind: 'string' as const },
  { name: 'selector', kind: 'string' as const },
  { name: 'labels', short: 'l', kind: 'string' as const },
  { name: 'target-port', kind: 'string' as const },
  { name: 'external-ip', kind: 'string' as const },
  { name: 'name', kind: 'string' as const },
  { name: 'session-affinity', kind: 'string' as const },
  { name: 'cluster-ip', kind: 'string' as const },
  { name: 'field-manager', kind: 'string' as const, default: 'kubectl-expose' },
  { name: 'overrides', kind: 'string' as const },
  { name: 'override-type', kind: 'string' as const, default: 'merge' },
  { name: 'save-config', kind: 'bool' as const },
];

const EXPOSABLE = new Set(['/ReplicationController', '/Service', '/Pod', 'apps/Deployment', 'apps/ReplicaSet']);

// What the generator keeps between objects: kubectl fills these in from the
// first object and keeps them for the next ones.
interface Options {
  selector: string;
  port: string;
  ports: string;
  protocols: string;
  labels: string;
  defaultName: string;
}

interface Workload {
  metadata: { labels?: Record<string, string> };
  spec?: {
    selector?: LabelSelector & Record<string, string>;
    template?: { spec?: PodSpec };
    ports?: { port: number; protocol?: string }[];
  } & PodSpec;
}

// polymorphichelpers.MakeLabels (Go map order; sorted here).
function makeLabels(labels: Record<string, string> | undefined): string {
  return Object.keys(labels ?? {})
    .sort()
    .map((k) => `${k}=${labels![k]}`)
    .join(',');
}

// Go's %+v of []LabelSelectorRequirement.
function goRequirements(reqs: LabelSelectorRequirement[]): string {
  return `[${reqs.map((r) => `{Key:${r.key} Operator:${r.operator} Values:[${(r.values ?? []).join(' ')}]}`).join(' ')}]`;
}

function selectorFor(t: Target): string {
  const obj = t.object as unknown as Workload;
  switch (t.info.kind) {
    case 'ReplicationController':
      return makeLabels(obj.spec?.selector);
    case 'Pod':
      if (Object.keys(obj.metadata.labels ?? {}).length === 0) throw new Error('the pod has no labels and cannot be exposed');
      return makeLabels(obj.metadata.labels);
    case 'Service':
      if (!obj.spec?.selector) throw new Error('the service has no pod selector set');
      return makeLabels(obj.spec.selector);
    default: {
      const sel = obj.spec?.selector;
      const what = t.info.kind === 'Deployment' ? 'deployment' : 'replicaset';
      if (!sel || Object.keys(sel.matchLabels ?? {}).length === 0) throw new Error(`invalid ${what}: no selectors, therefore cannot be exposed`);
      if ((sel.matchExpressions ?? []).length > 0) {
        throw new Error(`couldn't convert expressions - "${goRequirements(sel.matchExpressions!)}" to map-based selector format`);
      }
      return makeLabels(sel.matchLabels);
    }
  }
}

// Each port with its protocols, in the order the containers (or the service) list them.
function portsFor(t: Target): [string, string][] {
  const obj = t.object as unknown as Workload;
  if (t.info.kind === 'Service') return (obj.spec?.ports ?? []).map((p) => [String(p.port), p.protocol || 'TCP']);
  const spec = t.info.kind === 'Pod' ? obj.spec : obj.spec?.template?.spec;
  return (spec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((p): [string, string] => [String(p.containerPort), p.protocol || 'TCP']));
}

// The generator's parseLabels: `k=v,k2=v2`.
function parseLabels(spec: string): Record<string, string> {
  if (spec === '') throw new CliError('error: no label spec passed');
  const out: Record<string, string> = {};
  for (const item of spec.split(',')) {
    const kv = item.split('=');
    if (kv.length !== 2) throw new CliError(`error: unexpected label spec: ${item}`);
    if (kv[0] === '') throw new CliError('error: unexpected empty label key');
    out[kv[0]] = kv[1];
  }
  return out;
}

// intstr.Parse.
function intOrString(v: string): number | string {
  return /^[+-]?\d+$/.test(v) && Math.abs(Number(v)) <= 2147483647 ? Number(v) : v;
}

function atoi(v: string): number {
  if (!/^[+-]?\d+$/.test(v)) throw new CliError(`error: strconv.Atoi: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

interface ServicePort {
  name?: string;
  protocol: string;
  port: number;
  targetPort?: number | string;
}

function createService(ctx: CommandContext, o: Options): KubeObject {
  const f = ctx.flags;
  if (o.selector === '') throw new CliError('error: selector must be specified');
  const selector = parseLabels(o.selector);
  const labels = o.labels ? parseLabels(o.labels) : undefined;
  const name = f.str('name') || o.defaultName;
  if (!name) throw new CliError('error: name must be specified');
  const protocolsOf = new Map<string, string[]>();
  if (o.protocols) {
    for (const pp of o.protocols.split(',')) {
      const [port, protocol] = pp.split('/');
      protocolsOf.set(port, [...(protocolsOf.get(port) ?? []), protocol]);
    }
  }
  const portString = o.ports || o.port;
  const ports: ServicePort[] = [];
  if (portString) {
    const list = portString.split(',');
    list.forEach((p, i) => {
      const port = atoi(p);
      const portName = list.length > 1 ? `port-${i + 1}` : undefined;
      let protocol = f.str('protocol');
      if (!protocol) {
        const found = protocolsOf.get(p);
        protocol = 'TCP';
        if (found && found.length > 1) {
          // One port with several protocols: a port of each, named by protocol.
          for (const pr of found) ports.push({ name: `port-${i + 1}-${pr.toLowerCase()}`, protocol: pr, port });
          return;
        }
        if (found) protocol = found[0];
      }
      ports.push({ name: portName, protocol, port });
    });
  }
  const target = f.str('target-port');
  for (const p of ports) p.targetPort = target ? intOrString(target) : p.port;
  const spec: Record<string, unknown> = { ports, selector };
  if (f.str('external-ip')) spec.externalIPs = [f.str('external-ip')];
  if (f.str('type')) spec.type = f.str('type');
  if (spec.type === 'LoadBalancer' && f.str('load-balancer-ip')) spec.loadBalancerIP = f.str('load-balancer-ip');
  const affinity = f.str('session-affinity');
  if (affinity) {
    if (affinity !== 'None' && affinity !== 'ClientIP') throw new CliError(`error: unknown session affinity: ${affinity}`);
    spec.sessionAffinity = affinity;
  }
  if (f.str('cluster-ip')) spec.clusterIP = f.str('cluster-ip');
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, ...(labels ? { labels } : {}) }, spec };
}

function exposeOne(ctx: CommandContext, o: Options, t: Target): KubeObject {
  const f = ctx.flags;
  if (!EXPOSABLE.has(`${t.info.group}/${t.info.kind}`)) {
    throw new CliError(`error: cannot expose a ${t.info.group ? `${t.info.kind}.${t.info.group}` : t.info.kind}`);
  }
  o.defaultName = t.name.slice(0, 63);
  if (!o.selector) {
    try {
      o.selector = selectorFor(t);
    } catch (e) {
      throw new CliError(`error: couldn't retrieve selectors via --selector flag or introspection: ${(e as Error).message}`);
    }
  }
  const found = portsFor(t);
  if (!o.port) {
    const unique = [...new Set(found.map(([p]) => p))];
    if (unique.length === 0 && f.str('cluster-ip') !== 'None') throw new CliError("error: couldn't find port via --port flag or introspection");
    if (unique.length === 1) o.port = unique[0];
    else if (unique.length > 1) o.ports = unique.join(',');
  }
  if (found.length > 0) o.protocols = found.map(([p, pr]) => `${p}/${pr}`).join(',');
  if (!o.labels) o.labels = makeLabels(t.object.metadata.labels);
  let service = createService(ctx, o);
  const overrides = f.str('overrides');
  if (overrides) {
    const type = f.str('override-type') || 'merge';
    if (!['json', 'merge', 'strategic'].includes(type)) throw new CliError(`error: invalid override type: ${type}`);
    service = patchLocally(service, type as PatchType, overrides, false);
  }
  if (f.bool('record')) service.metadata.annotations = { ...(service.metadata.annotations ?? {}), [CHANGE_CAUSE]: changeCause(ctx) };
  return service;
}

export const command: Command = {
  flags: FLAGS,
  run(ctx: CommandContext) {
    const f = ctx.flags;
    const dryRun = parseDryRun(f, (s) => ctx.io.err(klogWarning(s)));
    const format = parseFormat(f);
    const o: Options = { selector: f.str('selector'), port: f.str('port'), ports: '', protocols: '', labels: f.str('labels'), defaultName: '' };
    const sel = ctx.session().read((api) => selectTargets(api, selectOptions(ctx, ctx.args)));
    const errors: Error[] = [];
    let printed = 0;
    for (const t of sel.items) {
      if (t instanceof Error) {
        errors.push(t);
        continue;
      }
      try {
        let service = exposeOne(ctx, o, t);
        if (dryRun === 'client') {
          if (ctx.explicitNamespace()) service.metadata.namespace = ctx.namespace();
        } else {
          if (f.bool('save-config')) service = withLastAppliedTyped(service);
          service = sendGenerated(ctx, service, dryRun);
        }
        ctx.io.out(printTyped(format, service, `exposed${dryRunSuffix(dryRun)}`, printed++));
      } catch (e) {
        errors.push(e as Error);
      }
    }
    raiseAll(errors);
    return 0;
  },
};
