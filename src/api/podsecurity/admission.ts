import type { PodSpec } from 'kubernetes-types/core/v1';
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import type { KindInfo } from '../kinds';
import { KINDS } from '../kinds';
import type { KubeObject } from '../types';
import type { ApiServer } from '../server';
import { forbidden, invalid } from '../errors';
import type { FieldError } from '../errors';
import { deepEqual } from '../../util/json';
import { evaluatePod, forbiddenDetail, forbiddenReasons } from './evaluate';
import { compareLevels, defaultConfig, fullyPrivileged, levelLabel, lvString, MODES, policyToEvaluate, sameLevelVersion, versionLabel } from './policy';
import type { LevelVersion, Policy, PodSecurityConfig } from './policy';

// The PodSecurity validating admission plugin: pods are checked against their
// namespace's enforce level (rejected) and warn level (a warning to the
// client); workloads' pod templates only warn; a namespace whose enforce
// level is raised gets its existing pods evaluated, as warnings.

export type Operation = 'CREATE' | 'UPDATE';

export function podSecurityConfig(api: ApiServer): PodSecurityConfig {
  return api.world.state.podSecurity ?? defaultConfig();
}

const NAMESPACE = KINDS.find((k) => k.kind === 'Namespace' && k.group === '')!;
const POD = KINDS.find((k) => k.kind === 'Pod' && k.group === '')!;

// Where each workload keeps its pod template (DefaultPodSpecExtractor).
const TEMPLATE_PATHS: Record<string, string[]> = {
  '/PodTemplate': ['template'],
  '/ReplicationController': ['spec', 'template'],
  'apps/ReplicaSet': ['spec', 'template'],
  'apps/Deployment': ['spec', 'template'],
  'apps/DaemonSet': ['spec', 'template'],
  'apps/StatefulSet': ['spec', 'template'],
  'batch/Job': ['spec', 'template'],
  'batch/CronJob': ['spec', 'jobTemplate', 'spec', 'template'],
};

interface PodTemplate {
  metadata?: ObjectMeta;
  spec?: PodSpec;
}

function templateOf(info: KindInfo, obj: KubeObject): PodTemplate | undefined {
  const path = TEMPLATE_PATHS[`${info.group}/${info.kind}`];
  if (!path) return undefined;
  let at: unknown = obj;
  for (const key of path) at = (at as Record<string, unknown> | undefined)?.[key];
  return at as PodTemplate | undefined;
}

export function validatePodSecurity(api: ApiServer, info: KindInfo, obj: KubeObject, old: KubeObject | undefined, op: Operation): void {
  if (info === NAMESPACE) return validateNamespace(api, obj, old, op);
  if (info === POD) {
    if (op === 'UPDATE' && old && !significantPodUpdate(obj, old)) return;
    const pod = obj as unknown as { spec: PodSpec };
    return validatePod(api, info, obj.metadata.namespace ?? '', obj.metadata, pod.spec, true);
  }
  const template = templateOf(info, obj);
  if (template?.spec) validatePod(api, info, obj.metadata.namespace ?? '', template.metadata ?? {}, template.spec, false);
}

function namespacePolicy(api: ApiServer, namespace: string): { policy: Policy; errors: FieldError[] } {
  const ns = api.peek(NAMESPACE, undefined, namespace);
  return policyToEvaluate(ns?.metadata.labels, podSecurityConfig(api).defaults);
}

// enforce: a pod (rejected when it violates); else a workload's template (warned only).
function validatePod(api: ApiServer, info: KindInfo, namespace: string, meta: ObjectMeta, spec: PodSpec, enforce: boolean): void {
  const config = podSecurityConfig(api);
  if (config.exemptions.namespaces.includes(namespace)) return;
  const { policy, errors } = namespacePolicy(api, namespace);
  if (errors.length === 0 && (enforce ? fullyPrivileged(policy) : policy.warn.level === 'privileged' && policy.audit.level === 'privileged')) return;
  if (spec.runtimeClassName && config.exemptions.runtimeClasses.includes(spec.runtimeClassName)) return;
  const enforced = enforce ? evaluatePod(policy.enforce, meta, spec) : undefined;
  if (enforced && !enforced.allowed) {
    throw forbidden(info, meta.name ?? '', `violates PodSecurity ${JSON.stringify(lvString(policy.enforce))}: ${forbiddenDetail(enforced)}`);
  }
  const w = enforced && sameLevelVersion(policy.enforce, policy.warn) ? enforced : evaluatePod(policy.warn, meta, spec);
  if (!w.allowed) api.warn(`would violate PodSecurity ${JSON.stringify(lvString(policy.warn))}: ${forbiddenDetail(w)}`);
}

function significantPodUpdate(pod: KubeObject, old: KubeObject): boolean {
  const spec = (o: KubeObject) => o.spec as PodSpec;
  const images = (list: { name: string; image?: string }[] | undefined) => (list ?? []).map((c) => c.image);
  const a = spec(pod);
  const b = spec(old);
  if ((a.containers ?? []).length !== (b.containers ?? []).length) return true;
  if ((a.initContainers ?? []).length !== (b.initContainers ?? []).length) return true;
  if (!deepEqual(images(a.containers), images(b.containers)) || !deepEqual(images(a.initContainers), images(b.initContainers))) return true;
  const oldEphemeral = new Map((b.ephemeralContainers ?? []).map((c) => [c.name, c.image]));
  return (a.ephemeralContainers ?? []).some((c) => !oldEphemeral.has(c.name) || oldEphemeral.get(c.name) !== c.image);
}

function validateNamespace(api: ApiServer, ns: KubeObject, old: KubeObject | undefined, op: Operation): void {
  const config = podSecurityConfig(api);
  const name = ns.metadata.name ?? '';
  const { policy, errors } = policyToEvaluate(ns.metadata.labels, config.defaults);
  const exempt = config.exemptions.namespaces.includes(name);
  if (op === 'CREATE' || !old) {
    if (errors.length) throw invalid(NAMESPACE, name, errors);
    if (exempt) warnExempt(api, name, policy, config.defaults, ns.metadata.labels ?? {});
    return;
  }
  const before = policyToEvaluate(old.metadata.labels, config.defaults);
  if (errors.length && (before.errors.length === 0 || !deepEqual(errors, before.errors))) throw invalid(NAMESPACE, name, errors);
  const next = policy.enforce;
  const prev = before.policy.enforce;
  if (sameLevelVersion(next, prev) || next.level === 'privileged') return;
  if (next.version === prev.version && compareLevels(next.level, prev.level) < 1) return;
  if (exempt) {
    warnExempt(api, name, policy, config.defaults, ns.metadata.labels ?? {});
    return;
  }
  for (const w of evaluatePodsInNamespace(api, name, next)) api.warn(w);
}

// Pods with the same violations are one line, named by the first of them.
export function evaluatePodsInNamespace(api: ApiServer, namespace: string, enforce: LevelVersion): string[] {
  const exemptClasses = podSecurityConfig(api).exemptions.runtimeClasses;
  const groups = new Map<string, { first: string; count: number }>();
  for (const pod of api.peekList(POD, { namespace })) {
    const spec = pod.spec as PodSpec;
    if (spec.runtimeClassName && exemptClasses.includes(spec.runtimeClassName)) continue;
    const r = evaluatePod(enforce, pod.metadata, spec);
    if (r.allowed) continue;
    const reasons = forbiddenReasons(r);
    const name = pod.metadata.name ?? '';
    const g = groups.get(reasons);
    if (!g) groups.set(reasons, { first: name, count: 1 });
    else {
      g.count += 1;
      if (name < g.first) g.first = name;
    }
  }
  if (groups.size === 0) return [];
  const lines = [...groups].map(([reasons, g]) => {
    const others = g.count - 1;
    const who = others === 0 ? g.first : `${g.first} (and ${others} other ${others === 1 ? 'pod' : 'pods'})`;
    return `${who}: ${reasons}`;
  });
  return [`existing pods in namespace ${JSON.stringify(namespace)} violate the new PodSecurity enforce level ${JSON.stringify(lvString(enforce))}`, ...lines.sort()];
}

function warnExempt(api: ApiServer, namespace: string, policy: Policy, defaults: Policy, labels: Record<string, string>): void {
  const equivalent = MODES.every((m) => (policy[m].level === 'privileged' && defaults[m].level === 'privileged') || sameLevelVersion(policy[m], defaults[m]));
  if (fullyPrivileged(policy) || equivalent) return;
  const parts = MODES.filter((m) => policy[m].level !== 'privileged' && (levelLabel(m) in labels || versionLabel(m) in labels)).map(
    (m) => `${m}=${lvString(policy[m])}`,
  );
  api.warn(`namespace ${JSON.stringify(namespace)} is exempt from Pod Security, and the policy (${parts.join(', ')}) will be ignored`);
}
