import { withoutFinalizer } from './finalizers';
import type { Controller, ControllerContext } from './types';
import type { KubeObject } from '../api/types';
import type { ApiServer } from '../api/server';
import type { KindInfo } from '../api/kinds';
import { KINDS, storageKey } from '../api/kinds';
import { StatusError } from '../api/errors';
import { clone } from '../util/json';

// The garbage collector (pkg/controller/garbagecollector): dependents whose
// owners are gone are deleted; an owner deleted in the foreground waits for
// its blocking dependents; an orphaning delete strips the owner references.

function kindByStorageKey(key: string): KindInfo | undefined {
  return KINDS.find((k) => storageKey(k) === key && !(k.kind === 'Event' && k.group !== ''));
}

function splitRef(ref: string): { info?: KindInfo; namespace?: string; name: string } {
  const [sk, objKey] = ref.split('|');
  const slash = objKey.indexOf('/');
  const info = kindByStorageKey(sk);
  if (slash < 0) return { info, name: objKey };
  return { info, namespace: objKey.slice(0, slash), name: objKey.slice(slash + 1) };
}

// Objects, in any kind, that name `owner` in their ownerReferences.
export function dependentsOf(api: ApiServer, owner: KubeObject): { info: KindInfo; obj: KubeObject }[] {
  const out: { info: KindInfo; obj: KubeObject }[] = [];
  const uid = owner.metadata.uid;
  for (const info of KINDS) {
    if (info.kind === 'Event') continue;
    const opts = info.namespaced && owner.metadata.namespace ? { namespace: owner.metadata.namespace } : {};
    for (const obj of api.peekList(info, opts)) {
      if ((obj.metadata.ownerReferences ?? []).some((r) => r.uid === uid)) out.push({ info, obj });
    }
  }
  return out;
}

function ownerExists(ctx: ControllerContext, obj: KubeObject, ref: { kind: string; apiVersion: string; name: string; uid: string }): boolean {
  const info = ctx.api.kindOf({ apiVersion: ref.apiVersion, kind: ref.kind });
  if (!info) return false;
  const owner = ctx.api.peek(info, info.namespaced ? obj.metadata.namespace : undefined, ref.name);
  return owner !== undefined && owner.metadata.uid === ref.uid;
}

function tryDelete(ctx: ControllerContext, info: KindInfo, obj: KubeObject, policy: 'Background' | 'Foreground'): void {
  try {
    ctx.api.delete(info, obj.metadata.namespace, obj.metadata.name ?? '', { propagationPolicy: policy });
  } catch (e) {
    if (!(e instanceof StatusError && e.code === 404)) throw e;
  }
}

function removeFinalizer(ctx: ControllerContext, obj: KubeObject, finalizer: string): void {
  ctx.api.update(withoutFinalizer(obj, finalizer));
}

export const garbageCollector: Controller = {
  name: 'garbage-collector',
  primary: 'all',
  // When an owner is gone for good, its dependents must be looked at.
  onDeleted: (owner, api) =>
    dependentsOf(api, owner).map((d) => `${storageKey(d.info)}|${d.obj.metadata.namespace ? `${d.obj.metadata.namespace}/` : ''}${d.obj.metadata.name}`),
  reconcile(ref, ctx) {
    const { info, namespace, name } = splitRef(ref);
    if (!info) return;
    const obj = ctx.api.peek(info, namespace, name);
    if (!obj) {
      return;
    }
    const finalizers = obj.metadata.finalizers ?? [];
    if (obj.metadata.deletionTimestamp && finalizers.includes('orphan')) {
      for (const d of dependentsOf(ctx.api, obj)) {
        const next = clone(d.obj);
        next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter((r) => r.uid !== obj.metadata.uid);
        if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
        ctx.api.update(next);
      }
      removeFinalizer(ctx, obj, 'orphan');
      return;
    }
    if (obj.metadata.deletionTimestamp && finalizers.includes('foregroundDeletion')) {
      const deps = dependentsOf(ctx.api, obj);
      for (const d of deps) if (!d.obj.metadata.deletionTimestamp) tryDelete(ctx, d.info, d.obj, 'Foreground');
      const blocking = dependentsOf(ctx.api, obj).filter((d) =>
        (d.obj.metadata.ownerReferences ?? []).some((r) => r.uid === obj.metadata.uid && r.blockOwnerDeletion),
      );
      if (blocking.length > 0) {
        ctx.requeueAfter(this.name, ref, 1000);
        return;
      }
      removeFinalizer(ctx, obj, 'foregroundDeletion');
      return;
    }
    const refs = obj.metadata.ownerReferences ?? [];
    if (refs.length > 0 && !obj.metadata.deletionTimestamp && refs.every((r) => !ownerExists(ctx, obj, r))) {
      tryDelete(ctx, info, obj, 'Background');
    }
  },
};

