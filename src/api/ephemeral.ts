import type { Container, EphemeralContainer, Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from './types';
import { field } from './errors';
import type { FieldError } from './errors';
import { defaultContainer } from './defaults/core';
import { deepEqual } from '../util/json';

// The pods/ephemeralcontainers subresource (pkg/registry/core/pod/storage,
// ValidatePodEphemeralContainersUpdate): the only way to add a container to a
// pod that exists. Only spec.ephemeralContainers is taken from the request;
// existing ones may not change or go, names are unique across the pod, and
// the fields that make no sense for a container added later are refused.

type P = Pod & KubeObject;

// Fields an ephemeral container may not set (validateEphemeralContainers).
const FORBIDDEN: (keyof Container)[] = ['ports', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'resizePolicy'];

// The pod as it becomes: `old` with the request's ephemeral containers, defaulted.
export function withEphemeralContainers(old: KubeObject, requested: EphemeralContainer[] | undefined): KubeObject {
  const next = structuredClone(old) as P;
  const list = structuredClone(requested ?? []);
  for (const c of list) defaultContainer(c as Container);
  next.spec = { ...next.spec!, ephemeralContainers: list };
  if (list.length === 0) delete next.spec.ephemeralContainers;
  return next;
}

export function validateEphemeralUpdate(next: KubeObject, old: KubeObject): FieldError[] {
  const n = (next as P).spec;
  const o = (old as P).spec;
  const errs: FieldError[] = [];
  const before = o?.ephemeralContainers ?? [];
  const after = n?.ephemeralContainers ?? [];
  const changed = before.filter((c) => !deepEqual(c, after.find((x) => x.name === c.name)));
  if (changed.length > 0) {
    errs.push(field.forbidden('spec.ephemeralContainers', `existing ephemeral containers ${changed.map((c) => JSON.stringify(c.name)).join(', ')} may not be changed`));
  }
  const names = new Set([...(n?.initContainers ?? []), ...(n?.containers ?? [])].map((c) => c.name));
  after.forEach((c, i) => {
    const path = `spec.ephemeralContainers[${i}]`;
    if (!c.name) errs.push(field.required(`${path}.name`));
    else if (names.has(c.name)) errs.push(field.duplicate(`${path}.name`, c.name));
    names.add(c.name);
    if (!c.image) errs.push(field.required(`${path}.image`));
    for (const f of FORBIDDEN) if ((c as Container)[f] !== undefined) errs.push(field.forbidden(`${path}.${f}`, 'cannot be set for an Ephemeral Container'));
    const res = (c as Container).resources;
    if (res && Object.keys(res).length > 0) errs.push(field.forbidden(`${path}.resources`, 'cannot be set for an Ephemeral Container'));
    const target = c.targetContainerName;
    if (target && !(n?.containers ?? []).some((x) => x.name === target) && !(n?.initContainers ?? []).some((x) => x.name === target)) {
      errs.push(field.notFound(`${path}.targetContainerName`, target));
    }
  });
  return errs;
}
