import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { LabelSelector, OwnerReference } from 'kubernetes-types/meta/v1';
import type { KubeObject } from '../api/types';
import type { ControllerContext } from './types';
import type { EventSource } from './events';
import { StatusError } from '../api/errors';
import { kind } from '../api/registry';
import { selectorMatches } from '../api/selectors';
import { isPodActive } from '../api/podutil';
import { clone } from '../util/json';
import { NAME_ALPHABET } from '../util/rand';
import { sortKeys } from '../util/json';

// What the workload controllers share (pkg/controller/controller_utils.go):
// controller references, pods from templates, template hashes.

export function controllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return (obj.metadata.ownerReferences ?? []).find((r) => r.controller);
}

export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  return controllerOf(obj)?.uid === owner.metadata.uid;
}

// A pod for `owner` from `template`, named by the API server from generateName
// (or given `name`, as StatefulSets do).
// ClaimPods: the owner's pods, releasing those whose labels stopped matching
// and adopting active orphans that match (and that `member` accepts: a
// StatefulSet takes only pods named after it).
export function claimPods(ctx: ControllerContext, owner: KubeObject, selector: LabelSelector, member: (pod: KubeObject) => boolean = () => true): KubeObject[] {
  const { api } = ctx;
  const owned: KubeObject[] = [];
  for (const pod of api.peekList(kind('Pod'), { namespace: owner.metadata.namespace })) {
    const ref = controllerOf(pod);
    const matches = selectorMatches(selector, pod.metadata.labels) && member(pod);
    if (ref && ref.uid === owner.metadata.uid) {
      if (matches || pod.metadata.deletionTimestamp) owned.push(pod);
      else {
        const next = clone(pod);
        next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid);
        if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
        api.update(next);
      }
    } else if (!ref && matches && isPodActive(pod) && !owner.metadata.deletionTimestamp) {
      const next = clone(pod);
      next.metadata.ownerReferences = [...(next.metadata.ownerReferences ?? []), controllerRef(owner)];
      owned.push(api.update(next));
    }
  }
  return owned;
}

export function podFromTemplate(template: PodTemplateSpec, owner: KubeObject, generateName?: string, name?: string): KubeObject {
  const t = clone(template);
  const meta: KubeObject['metadata'] = {
    namespace: owner.metadata.namespace,
    labels: { ...(t.metadata?.labels ?? {}) },
    ownerReferences: [controllerRef(owner)],
  };
  if (name) meta.name = name;
  else meta.generateName = generateName ?? `${owner.metadata.name}-`;
  if (t.metadata?.annotations && Object.keys(t.metadata.annotations).length > 0) meta.annotations = { ...t.metadata.annotations };
  if (t.metadata?.finalizers) meta.finalizers = [...t.metadata.finalizers];
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: t.spec };
}

// FNV-1a 32-bit.
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  const bytes = Buffer.from(text, 'utf8');
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h >>> 0;
}

// rand.SafeEncodeString over the decimal digits: 0->4 ... 9->f, as
// pod-template-hash values look.
export function safeEncode(n: number): string {
  return String(n)
    .split('')
    .map((d) => NAME_ALPHABET[d.charCodeAt(0) % NAME_ALPHABET.length])
    .join('');
}

// The pod-template-hash of a template: a hash of its canonical form (plus
// the collision count), stable across runs and machines.
export function templateHash(template: unknown, collisionCount?: number): string {
  let text = JSON.stringify(sortKeys(template));
  if (collisionCount !== undefined && collisionCount > 0) text += `#${collisionCount}`;
  return safeEncode(fnv1a(text));
}

// A controller's pod create: an API refusal (PodSecurity, a terminating
// namespace...) becomes the owner's FailedCreate event, as RealPodControl
// records it, instead of failing the controller.
export function createPodOrRecord(
  ctx: ControllerContext,
  owner: KubeObject,
  pod: KubeObject,
  source: EventSource,
  failure: (e: StatusError) => string = (e) => `Error creating: ${e.message}`,
): KubeObject | undefined {
  try {
    return ctx.api.create(pod, { fieldManager: 'kube-controller-manager' });
  } catch (e) {
    if (!(e instanceof StatusError)) throw e;
    ctx.recorder.event(owner, 'Warning', 'FailedCreate', failure(e), source);
    return undefined;
  }
}
