import type { Controller, ControllerContext } from '../../controllers/types';
import type { KubeObject } from '../../api/types';
import { kind } from '../../api/registry';
import { clone } from '../../util/json';
import { rfc3339, rfc3339Micro } from '../clock';
import { createHash } from 'node:crypto';

// The node half of the kubelet: mirror pods for the static pods in its
// manifests directory, its Lease in kube-node-lease (renewed as time passes,
// without waking the cluster up for it), and forgetting pods that are gone.

// Lease renewals are written when something else runs and the last one is
// older than this, so an idle cluster does not need timers for them.
const LEASE_RENEW_MS = 40_000;

function mirrorName(pod: KubeObject, node: string): string {
  return `${pod.metadata.name}-${node}`;
}

function ensureMirrorPods(ctx: ControllerContext, node: KubeObject): void {
  const name = node.metadata.name ?? '';
  const manifests = ctx.api.world.state.staticPods[name] ?? [];
  for (const m of manifests) {
    const podName = mirrorName(m, name);
    if (ctx.api.peek(kind('Pod'), m.metadata.namespace, podName)) continue;
    const hash = createHash('md5').update(JSON.stringify(m)).digest('hex');
    const now = ctx.now;
    const pod = clone(m);
    pod.metadata = {
      ...pod.metadata,
      name: podName,
      annotations: {
        ...(pod.metadata.annotations ?? {}),
        'kubernetes.io/config.hash': hash,
        'kubernetes.io/config.mirror': hash,
        'kubernetes.io/config.seen': `${new Date(now).toISOString().replace('Z', '')}000000Z`.replace(/\.(\d{3})000000Z$/, '.$1123456Z'),
        'kubernetes.io/config.source': 'file',
      },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid ?? '', controller: true }],
    };
    (pod.spec as { nodeName?: string }).nodeName = name;
    ctx.api.create(pod, { fieldManager: 'kubelet' });
  }
}

function renewLease(ctx: ControllerContext, node: KubeObject): void {
  const name = node.metadata.name ?? '';
  const lease = ctx.api.peek(kind('Lease'), 'kube-node-lease', name);
  const now = ctx.now;
  if (!lease) {
    ctx.api.create({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name,
        namespace: 'kube-node-lease',
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid ?? '' }],
      },
      spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: rfc3339Micro(now) },
    });
    return;
  }
  const renewed = Date.parse(String((lease.spec as { renewTime?: string }).renewTime ?? ''));
  if (Number.isNaN(renewed) || now - renewed >= LEASE_RENEW_MS) {
    ctx.api.update({ ...clone(lease), spec: { ...(lease.spec as object), renewTime: rfc3339Micro(now) } });
  }
}

// Drops the runtime records of pods that no longer exist.
function forgetGonePods(ctx: ControllerContext, node: string): void {
  const runtime = ctx.api.world.state.runtime;
  const live = new Set(ctx.api.peekList(kind('Pod')).map((p) => p.metadata.uid));
  for (const [uid, rt] of Object.entries(runtime)) if (rt.node === node && !live.has(uid)) delete runtime[uid];
}

export const nodeAgent: Controller = {
  name: 'kubelet-node',
  primary: kind('Node'),
  watches: [
    {
      kind: kind('Pod'),
      map: (pod, _api, type) => {
        const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
        return type === 'DELETED' && node ? [node] : [];
      },
    },
  ],
  reconcile(key, ctx) {
    const node = ctx.api.peek(kind('Node'), undefined, key);
    if (!node) return;
    ensureMirrorPods(ctx, node);
    renewLease(ctx, node);
    forgetGonePods(ctx, key);
  },
};

export { rfc3339 };
