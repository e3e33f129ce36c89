import { readAssetText } from '../../util/assets';
import type { KubeObject } from '../../api/types';
import type { ApiServer } from '../../api/server';
import { StatusError } from '../../api/errors';
import { loadPreset } from '../preset';
import { clone } from '../../util/json';

// minikube's addons as data: catalog.yaml lists every addon `minikube addons
// list` shows; <name>.yaml holds the objects of those kubemu simulates. They
// are created and deleted through the API server, as `kubectl apply` and
// `kubectl delete` would in minikube.

export interface AddonInfo {
  name: string;
  maintainer: string;
  verifiedMaintainer?: string;
  docs?: string;
  default?: boolean;
  images?: string[];
  simulated?: boolean;
}

interface ObjectRef {
  kind: string;
  namespace?: string;
  name: string;
}

export interface MetricsSettings {
  resolutionSeconds: number;
  nodeBase: { cpu: string; memory: string };
}

interface AddonFile {
  objects?: KubeObject[];
  // Objects a fresh cluster already has (the preset's), named instead of repeated.
  fromPreset?: ObjectRef[];
  metrics?: MetricsSettings;
}

// The build ships each YAML file as JSON beside the compiled code.
function readData<T>(name: string): T {
  return JSON.parse(readAssetText(`dist/src/cluster/addons/${name}.json`)) as T;
}

let catalog: AddonInfo[] | undefined;

export function addonCatalog(): AddonInfo[] {
  catalog ??= readData<{ addons: AddonInfo[] }>('catalog').addons;
  return catalog;
}

export function addonInfo(name: string): AddonInfo | undefined {
  return addonCatalog().find((a) => a.name === name);
}

export function defaultAddons(): string[] {
  return addonCatalog()
    .filter((a) => a.default)
    .map((a) => a.name);
}

function addonFile(name: string): AddonFile {
  return readData<AddonFile>(name);
}

export function metricsSettings(): MetricsSettings {
  const settings = addonFile('metrics-server').metrics;
  if (!settings) throw new Error('metrics-server.yaml has no metrics settings');
  return settings;
}

// The addon's objects in the order they are applied.
export function addonObjects(name: string, presetName: string): KubeObject[] {
  const file = addonFile(name);
  const out = (file.objects ?? []).map((o) => clone(o));
  if (file.fromPreset?.length) {
    const preset = loadPreset(presetName);
    for (const ref of file.fromPreset) {
      const found = preset.objects.find(
        (o) => o.kind === ref.kind && o.metadata.name === ref.name && (o.metadata.namespace ?? undefined) === ref.namespace,
      );
      if (found) out.push(clone(found));
    }
  }
  return out;
}

function ignoreNotFound(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof StatusError && (e.code === 404 || e.code === 409))) throw e;
  }
}

// Creates what is missing; objects already there are left as they are.
export function applyAddon(api: ApiServer, name: string, presetName: string): void {
  for (const obj of addonObjects(name, presetName)) {
    const info = api.kindOf(obj);
    if (!info) continue;
    if (api.peek(info, info.namespaced ? obj.metadata.namespace ?? 'default' : undefined, obj.metadata.name ?? '')) continue;
    ignoreNotFound(() => api.create(obj, { fieldManager: 'kubectl-client-side-apply' }));
  }
}

// Deletes the addon's objects, last first; its namespaces in a second pass
// (`namespaces`), once what ran in them has been told to stop.
export function removeAddon(api: ApiServer, name: string, presetName: string, namespaces = false): void {
  for (const obj of addonObjects(name, presetName).reverse()) {
    const info = api.kindOf(obj);
    if (!info || (obj.kind === 'Namespace') !== namespaces) continue;
    ignoreNotFound(() => api.delete(info, obj.metadata.namespace, obj.metadata.name ?? ''));
  }
}
