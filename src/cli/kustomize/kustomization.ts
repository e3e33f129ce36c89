import type { Json } from '../../util/json';
import { KustomizeError, wrap } from './errors';
import { any, bool, goDecode, int, int64, map, slice, str, struct } from './gojson';
import type { GoType } from './gojson';
import { yamlToJsonV2 } from './yaml';
import type { Loader } from './loader';

// The kustomization file: its recognized names, its types (api/types), and
// how kustomize reads it (KustTarget.Load): strict decoding, deprecation
// warnings, FixKustomization, CheckEmpty, EnforceFields.

export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export interface FieldSpec {
  group?: string;
  version?: string;
  kind?: string;
  path: string;
  create?: boolean;
}

export interface Selector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  annotationSelector?: string;
  labelSelector?: string;
}

export interface GeneratorOptions {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  disableNameSuffixHash?: boolean;
  immutable?: boolean;
}

export interface GeneratorArgs {
  namespace?: string;
  name?: string;
  behavior?: string;
  literals?: string[];
  files?: string[];
  envs?: string[];
  env?: string;
  options?: GeneratorOptions;
  type?: string;
}

export interface Label {
  pairs?: Record<string, string>;
  includeSelectors?: boolean;
  includeTemplates?: boolean;
  fields?: FieldSpec[];
}

export interface Patch {
  path?: string;
  patch?: string;
  target?: Selector;
  options?: Record<string, boolean>;
}

export interface Image {
  name?: string;
  newName?: string;
  tagSuffix?: string;
  newTag?: string;
  digest?: string;
}

export interface Replica {
  name?: string;
  count?: number;
}

export interface SortOptions {
  order?: string;
  legacySortOptions?: { orderFirst?: string[]; orderLast?: string[] };
}

export interface Kustomization {
  apiVersion?: string;
  kind?: string;
  metadata?: Json;
  openapi?: Record<string, string>;
  namePrefix?: string;
  nameSuffix?: string;
  namespace?: string;
  commonLabels?: Record<string, string>;
  labels?: Label[];
  commonAnnotations?: Record<string, string>;
  patchesStrategicMerge?: string[];
  patchesJson6902?: Patch[];
  patches?: Patch[];
  images?: Image[];
  imageTags?: Image[];
  replacements?: Json[];
  replicas?: Replica[];
  vars?: Json[];
  sortOptions?: SortOptions;
  resources?: string[];
  components?: string[];
  crds?: string[];
  bases?: string[];
  configMapGenerator?: GeneratorArgs[];
  secretGenerator?: GeneratorArgs[];
  helmGlobals?: Json;
  helmCharts?: Json[];
  helmChartInflationGenerator?: Json[];
  generatorOptions?: GeneratorOptions;
  configurations?: string[];
  generators?: string[];
  transformers?: string[];
  validators?: string[];
  buildMetadata?: string[];
}

// The Go types, for decoding errors that name them as Go does.
const strMap = map(str);
const fieldSpecT = struct('FieldSpec', () => ({ group: str, version: str, kind: str, path: str, create: bool }));
const selectorT = struct('Selector', () => ({
  group: str,
  version: str,
  kind: str,
  name: str,
  namespace: str,
  annotationSelector: str,
  labelSelector: str,
}));
const generatorOptionsT = struct('GeneratorOptions', () => ({ labels: strMap, annotations: strMap, disableNameSuffixHash: bool, immutable: bool }));
const generatorFields = () => ({
  namespace: str,
  name: str,
  behavior: str,
  literals: slice(str),
  files: slice(str),
  envs: slice(str),
  env: str,
  options: generatorOptionsT,
});
const configMapArgsT = struct('ConfigMapArgs', generatorFields);
const secretArgsT = struct('SecretArgs', () => ({ ...generatorFields(), type: str }));
const labelT = struct('Label', () => ({ pairs: strMap, includeSelectors: bool, includeTemplates: bool, fields: slice(fieldSpecT) }));
const patchT = struct('Patch', () => ({ path: str, patch: str, target: selectorT, options: map(bool) }));
const imageT = struct('Image', () => ({ name: str, newName: str, tagSuffix: str, newTag: str, digest: str }));
const replicaT = struct('Replica', () => ({ name: str, count: int64 }));
const objectMetaT = struct('ObjectMeta', () => ({ name: str, namespace: str, labels: strMap, annotations: strMap }));
const gvkFields = () => ({ group: str, version: str, kind: str });
const varT = struct('Var', () => ({
  name: str,
  objref: struct('Target', () => ({ apiVersion: str, ...gvkFields(), name: str, namespace: str })),
  fieldref: struct('FieldSelector', () => ({ fieldPath: str })),
}));
const fieldOptionsT = struct('FieldOptions', () => ({ delimiter: str, index: int, encoding: str, create: bool }));
const replacementT = struct('ReplacementField', () => ({
  source: struct('SourceSelector', () => ({ ...gvkFields(), name: str, namespace: str, fieldPath: str, options: fieldOptionsT })),
  targets: slice(
    struct('TargetSelector', () => ({ select: selectorT, reject: slice(selectorT, true), fieldPaths: slice(str), options: fieldOptionsT })),
    true,
  ),
  path: str,
}));
const sortOptionsT = struct('SortOptions', () => ({
  order: str,
  legacySortOptions: struct('LegacySortOptions', () => ({ orderFirst: slice(str), orderLast: slice(str) })),
}));
const helmGlobalsT = struct('HelmGlobals', () => ({ chartHome: str, configHome: str }));
const helmChartT = struct('HelmChart', () => ({
  name: str,
  version: str,
  repo: str,
  releaseName: str,
  namespace: str,
  additionalValuesFiles: slice(str),
  valuesFile: str,
  valuesInline: map(any),
  valuesMerge: str,
  includeCRDs: bool,
  skipHooks: bool,
  apiVersions: slice(str),
  kubeVersion: str,
  nameTemplate: str,
  skipTests: bool,
  debug: bool,
}));
const helmChartArgsT = struct('HelmChartArgs', () => ({
  chartName: str,
  chartVersion: str,
  chartRepoUrl: str,
  chartHome: str,
  chartRepoName: str,
  helmBin: str,
  helmHome: str,
  values: str,
  valuesLocal: map(any),
  valuesMerge: str,
  releaseName: str,
  releaseNamespace: str,
  extraArgs: slice(str),
}));
const kustomizationT: GoType = struct('Kustomization', () => ({
  kind: str,
  apiVersion: str,
  metadata: objectMetaT,
  openapi: strMap,
  namePrefix: str,
  nameSuffix: str,
  namespace: str,
  commonLabels: strMap,
  labels: slice(labelT),
  commonAnnotations: strMap,
  patchesStrategicMerge: slice(str),
  patchesJson6902: slice(patchT),
  patches: slice(patchT),
  images: slice(imageT),
  imageTags: slice(imageT),
  replacements: slice(replacementT),
  replicas: slice(replicaT),
  vars: slice(varT),
  sortOptions: sortOptionsT,
  resources: slice(str),
  components: slice(str),
  crds: slice(str),
  bases: slice(str),
  configMapGenerator: slice(configMapArgsT),
  secretGenerator: slice(secretArgsT),
  helmGlobals: helmGlobalsT,
  helmCharts: slice(helmChartT),
  helmChartInflationGenerator: slice(helmChartArgsT),
  generatorOptions: generatorOptionsT,
  configurations: slice(str),
  generators: slice(str),
  transformers: slice(str),
  validators: slice(str),
  buildMetadata: slice(str),
}));

const FIX = "Run 'kustomize edit fix' to update your Kustomization automatically.";
const DEPRECATIONS: [keyof Kustomization, string][] = [
  ['bases', `# Warning: 'bases' is deprecated. Please use 'resources' instead. ${FIX}`],
  ['commonLabels', `# Warning: 'commonLabels' is deprecated. Please use 'labels' instead. ${FIX}`],
  ['imageTags', `# Warning: 'imageTags' is deprecated. Please use 'images' instead. ${FIX}`],
  ['patchesJson6902', `# Warning: 'patchesJson6902' is deprecated. Please use 'patches' instead. ${FIX}`],
  ['patchesStrategicMerge', `# Warning: 'patchesStrategicMerge' is deprecated. Please use 'patches' instead. ${FIX}`],
  ['vars', `# Warning: 'vars' is deprecated. Please use 'replacements' instead. [EXPERIMENTAL] ${FIX}`],
];

// types.Kustomization.Unmarshal.
export function parseKustomization(text: string): Kustomization {
  let value: unknown;
  try {
    value = yamlToJsonV2(text);
    return goDecode((value ?? null) as Json, kustomizationT) as Kustomization;
  } catch (e) {
    if (e instanceof KustomizeError) throw wrap(e, 'invalid Kustomization');
    throw e;
  }
}

// LoadKustFile: exactly one of the recognized names must be there.
export function loadKustFile(ldr: Loader): { content: string; fileName: string } {
  let found: { content: string; fileName: string } | undefined;
  let count = 0;
  for (const name of KUSTOMIZATION_FILE_NAMES) {
    let content: string;
    try {
      content = ldr.load(name).toString('utf8');
    } catch {
      continue;
    }
    count++;
    found = { content, fileName: name };
  }
  if (count === 0) {
    const q = KUSTOMIZATION_FILE_NAMES.map((n) => `'${n}'`);
    throw new KustomizeError(`unable to find one of ${q.slice(0, -1).join(', ')} or ${q[q.length - 1]} in directory '${ldr.root}'`);
  }
  if (count > 1) throw new KustomizeError(`Found multiple kustomization files under: ${ldr.root}\n`);
  return found!;
}

const KUSTOMIZATION_VERSION = 'kustomize.config.k8s.io/v1beta1';
const COMPONENT_VERSION = 'kustomize.config.k8s.io/v1alpha1';

// KustTarget.Load after the file is read: warnings go to stderr as kustomize
// prints them, before anything else can fail.
export function readKustomization(ldr: Loader, warn: (line: string) => void): { k: Kustomization; fileName: string } {
  const { content, fileName } = loadKustFile(ldr);
  const k = parseKustomization(content);
  for (const [field, message] of DEPRECATIONS) if (k[field] !== undefined) warn(message);
  // FixKustomization.
  k.kind ||= 'Kustomization';
  k.apiVersion ||= k.kind === 'Component' ? COMPONENT_VERSION : KUSTOMIZATION_VERSION;
  // append(nil, empty...) stays nil, as in Go.
  if (k.bases !== undefined && (k.resources !== undefined || k.bases.length > 0)) k.resources = [...(k.resources ?? []), ...k.bases];
  delete k.bases;
  if (k.imageTags !== undefined && (k.images !== undefined || k.imageTags.length > 0)) k.images = [...(k.images ?? []), ...k.imageTags];
  delete k.imageTags;
  for (const g of [...(k.configMapGenerator ?? []), ...(k.secretGenerator ?? [])]) {
    if (g.env) {
      g.envs = [...(g.envs ?? []), g.env];
      delete g.env;
    }
  }
  if (k.helmChartInflationGenerator !== undefined) delete k.helmChartInflationGenerator;
  // CheckEmpty: nothing but the type.
  const rest = Object.keys(k).filter((key) => key !== 'kind' && key !== 'apiVersion');
  if (rest.length === 0) throw new KustomizeError('kustomization.yaml is empty');
  // EnforceFields.
  const errs: string[] = [];
  if (k.kind !== 'Kustomization' && k.kind !== 'Component') errs.push('kind should be Kustomization or Component');
  const required = k.kind === 'Component' ? COMPONENT_VERSION : KUSTOMIZATION_VERSION;
  if (k.apiVersion !== required) errs.push(`apiVersion for ${k.kind} should be ${required}`);
  if (errs.length > 0) throw new KustomizeError(`Failed to read kustomization file under ${ldr.root}:\n${errs.join('\n')}`);
  return { k, fileName };
}
