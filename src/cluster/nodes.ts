import type { KubeObject } from '../api/types';
import type { Preset } from './preset';
import { rfc3339 } from '../sim/clock';
import type { Rng } from '../util/rand';

// Node objects as a minikube node registers itself: labels, annotations,
// addresses, capacity, conditions and system info.

function nthIP(base: string, n: number): string {
  const parts = base.split('.').map(Number);
  parts[3] += n;
  return parts.join('.');
}

// kind's node names: <cluster>-control-plane, then <cluster>-worker, -worker2...
export function kindNodeNames(cluster: string, workers: number): string[] {
  return [`${cluster}-control-plane`, ...Array.from({ length: workers }, (_, i) => `${cluster}-worker${i === 0 ? '' : i + 1}`)];
}

export function nodeName(preset: Preset, index: number): string {
  // Named nodes (kind's <cluster>-worker...) keep their names; minikube's
  // further nodes are <first>-m02, -m03...
  const named = preset.nodes[index]?.name;
  if (index === 0 || named) return named || preset.nodes[0].name;
  return `${preset.nodes[0].name}-m${String(index + 1).padStart(2, '0')}`;
}

export function nodeObject(preset: Preset, index: number, now: number, rng: Rng, controlPlane: boolean): KubeObject {
  const name = nodeName(preset, index);
  const ts = rfc3339(now);
  const stamp = new Date(now).toISOString().replace(/-/g, '_').replace('T', '_').replace(/:/g, '_').slice(0, 19);
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
  };
  // minikube labels its nodes; kind's are plain kubeadm nodes.
  if (preset.minikubeVersion) {
    Object.assign(labels, {
      'minikube.k8s.io/commit': 'dd5d320e41b5451cdf3c01891bc4e13d189586ed-dirty',
      'minikube.k8s.io/name': preset.name,
      'minikube.k8s.io/primary': String(index === 0),
      'minikube.k8s.io/updated_at': `${stamp}_0700`,
      'minikube.k8s.io/version': preset.minikubeVersion,
    });
  }
  if (controlPlane) {
    labels['node-role.kubernetes.io/control-plane'] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  }
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: ts,
    lastTransitionTime: ts,
    reason,
    message,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels,
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': preset.kind ? 'unix:///run/containerd/containerd.sock' : 'unix:///var/run/cri-dockerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: { podCIDR: `10.244.${index}.0/24`, podCIDRs: [`10.244.${index}.0/24`] },
    status: {
      addresses: [
        { address: nthIP(preset.network.nodeIPBase, index), type: 'InternalIP' },
        { address: name, type: 'Hostname' },
      ],
      allocatable: { ...preset.capacity },
      capacity: { ...preset.capacity },
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      images: [],
      nodeInfo: {
        ...preset.nodeInfo,
        bootID: rng.uuid(),
        machineID: rng.hex(32),
        systemUUID: rng.uuid(),
      },
    },
  };
}

export function nodeInternalIP(node: KubeObject): string {
  const addrs = ((node.status as { addresses?: { type: string; address: string }[] })?.addresses ?? []);
  return addrs.find((a) => a.type === 'InternalIP')?.address ?? '';
}
