import type { ClusterState } from '../store/store';
import { SCHEMA_VERSION } from '../store/store';
import { ApiServer } from '../api/server';
import { Clock, newClockState } from '../sim/clock';
import { newRngState, Rng, seedFromEnv } from '../util/rand';
import { catchUp } from '../reconciler/reconciler';
import { loadPreset } from './preset';
import { kindNodeNames, nodeInternalIP, nodeObject } from './nodes';
import { kindKubeconfig, minikubeKubeconfig, writeKubeconfig } from './kubeconfig';
import type { PodSecurityConfig } from '../api/podsecurity/policy';
import { clone } from '../util/json';
import { preloadedImages } from '../sim/images';

// A fresh cluster, shaped by a preset: nodes first, then the preset's objects
// through the API server, then the controllers and kubelets run until the
// system pods are up.

const BOOT_MS = 60_000;

// Runs the controllers on what was just created, at the bootstrap instant.
function drain(api: ApiServer, at: number): void {
  catchUp(api, { resync: true, until: at });
  api.at = at;
}

function fakeCertificate(rng: Rng): string {
  const bytes = Buffer.alloc(792);
  for (let i = 0; i < bytes.length; i += 4) bytes.writeUInt32LE(rng.uint32(), i);
  const b64 = bytes.toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

export interface BootstrapOptions {
  preset?: string;
  // A kind cluster's name: its node is <name>-control-plane, its context kind-<name>.
  clusterName?: string;
  // kind: how many worker nodes (<name>-worker, <name>-worker2, ...).
  workers?: number;
  nodeImage?: string;
  // The API server's PodSecurity admission configuration file, loaded.
  podSecurity?: PodSecurityConfig;
}

export function bootstrapState(env: NodeJS.ProcessEnv, home: string, opts: BootstrapOptions = {}): ClusterState {
  const preset = loadPreset(opts.preset ?? (env.KUBEMU_PRESET || 'minikube'));
  const kindName = opts.clusterName ?? 'kind';
  if (preset.kind) {
    preset.nodes = kindNodeNames(kindName, opts.workers ?? 0).map((name, i) => ({ name, controlPlane: i === 0 }));
  }
  const clock = newClockState(env);
  const state: ClusterState = {
    schemaVersion: SCHEMA_VERSION,
    resourceVersion: 0,
    clock,
    rng: newRngState(seedFromEnv(env)),
    preset: preset.name,
    reconciler: { reconciledTo: 0, timers: [] },
    staticPods: {},
    runtime: {},
    objects: {},
  };
  if (opts.podSecurity) state.podSecurity = opts.podSecurity;
  const api = new ApiServer({ state, clock: new Clock(clock), rng: new Rng(state.rng), env, home });
  // The cluster started a while ago, as after `minikube start`: its objects are
  // created then, and the catch-up to now brings the system pods up.
  const now = api.now() - BOOT_MS;
  api.at = now;
  state.reconciler.reconciledTo = now;
  const fieldManager = 'kube-apiserver';
  for (const obj of preset.objects.filter((o) => o.kind === 'Namespace')) api.create(clone(obj), { fieldManager });
  // KUBEMU_NODES=<n> (or `minikube start --nodes n`): more nodes of the same shape.
  const count = Number(env.KUBEMU_NODES);
  const nodes = Number.isInteger(count) && count > preset.nodes.length
    ? [...preset.nodes, ...Array.from({ length: count - preset.nodes.length }, () => ({ name: '', controlPlane: false }))]
    : preset.nodes;
  nodes.forEach((n, i) => {
    const node = nodeObject(preset, i, now, api.world.rng, n.controlPlane ?? false);
    (node.status as { images: unknown[] }).images = preloadedImages();
    api.create(node, { fieldManager: 'kubelet' });
    if (n.controlPlane) state.staticPods[String(node.metadata.name)] = preset.staticPods.map((p) => clone(p));
  });
  api.create(
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kube-root-ca.crt', namespace: 'kube-system' },
      data: { 'ca.crt': fakeCertificate(api.world.rng) },
    },
    { fieldManager },
  );
  // Service accounts and CA bundles for the namespaces, before any pod needs them.
  drain(api, now);
  for (const obj of preset.objects.filter((o) => o.kind !== 'Namespace')) api.create(clone(obj), { fieldManager });
  drain(api, now);
  catchUp(api);
  const firstNode = api.peekList({ ...api.kindOf({ apiVersion: 'v1', kind: 'Node' })! })[0];
  const lastUpdate = new Date(now).toUTCString().replace('GMT', 'UTC');
  if (preset.kind) {
    // kind publishes the API server on a random localhost port.
    // (the name is mixed in so that two clusters made with one seed differ).
    const salt = [...kindName].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 35000, 0);
    const port = 30000 + ((api.world.rng.int(35000) + salt) % 35000);
    state.kind = { name: kindName, nodeImage: opts.nodeImage ?? preset.kind.nodeImage, apiServerPort: port };
    writeKubeconfig(home, kindKubeconfig(kindName, port, fakeCertificate(api.world.rng)));
  } else {
    writeKubeconfig(home, minikubeKubeconfig(home, preset.name, nodeInternalIP(firstNode), preset.minikubeVersion ?? '', lastUpdate));
  }
  return state;
}
