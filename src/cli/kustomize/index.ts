import type { JsonObject } from '../../util/json';
import { toYamlDocuments } from '../../printers/yaml';
import { kustomizeBuild } from './build';

// kubectl's embedded kustomize (v5.5): `kubectl kustomize DIR` and the `-k`
// source of apply, create, delete, get, diff.

export { KustomizeError } from './errors';

export interface KustomizeFlags {
  // LoadRestrictionsRootOnly (kubectl's default) or None.
  restrictRoot?: boolean;
  // --reorder, when given: `legacy` or `none`.
  reorder?: string;
}

export function buildKustomization(dir: string, warn: (line: string) => void, flags: KustomizeFlags = {}): JsonObject[] {
  return kustomizeBuild(dir, { warn, restrictRoot: flags.restrictRoot ?? true, reorder: flags.reorder }).objects;
}

// resMap.AsYaml: each object as sigs.k8s.io/yaml prints it, `---` between.
export function kustomizeYaml(objects: JsonObject[]): string {
  return toYamlDocuments(objects);
}
