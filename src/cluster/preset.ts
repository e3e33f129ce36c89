import { assetKind, readAssetText } from '../util/assets';
import type { KubeObject } from '../api/types';

// Cluster shapes are data files (presets/<name>.yaml); this is their type.

export interface Preset {
  name: string;
  // Set for minikube's cluster shape.
  minikubeVersion?: string;
  // Set for kind's: its version and default node image.
  kind?: { version: string; nodeImage: string };
  kubernetesVersion: string;
  nodeInfo: Record<string, string>;
  network: { serviceCIDR: string; podCIDR: string; nodeIPBase: string };
  nodes: { name: string; controlPlane?: boolean }[];
  capacity: Record<string, string>;
  objects: KubeObject[];
  staticPods: KubeObject[];
}

export function loadPreset(name: string): Preset {
  // presets/<name>.yaml, converted to JSON by the build.
  const file = `dist/src/cluster/presets/${name}.json`;
  if (assetKind(file) !== 'file') throw new Error(`unknown cluster preset "${name}"`);
  return JSON.parse(readAssetText(file)) as Preset;
}
