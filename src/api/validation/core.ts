import type { Container, PodSpec, PodTemplateSpec, Service, Volume } from 'kubernetes-types/core/v1';
import { validateAppArmorProfile, validateSeccompProfile } from './security-profiles';
import type { FieldError } from '../errors';
import { field } from '../errors';
import { isConfigMapKey, isDNS1123Label, isQualifiedName } from './names';
import { validateLabels } from './meta';
import { parseQuantity } from '../../util/quantity';

// Semantic validation of core/v1 objects (pkg/apis/core/validation), the
// checks tutorial users actually run into, with the API server's messages.

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

function validatePortName(name: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (name.length > 15) errs.push(field.invalid(path, name, 'must be no more than 15 characters'));
  if (!IANA_SVC_NAME.test(name)) {
    errs.push(
      field.invalid(path, name, 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'),
    );
  } else if (!/[a-z]/.test(name)) {
    errs.push(field.invalid(path, name, 'must contain at least one letter (a-z)'));
  } else if (name.includes('--')) {
    errs.push(field.invalid(path, name, 'must not contain consecutive hyphens'));
  }
  return errs;
}

function validatePortNumber(port: unknown, path: string): FieldError[] {
  if (typeof port !== 'number' || port < 1 || port > 65535) {
    return [field.invalid(path, port, 'must be between 1 and 65535, inclusive')];
  }
  return [];
}

function validateResources(c: Container, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const limits = c.resources?.limits ?? {};
  const requests = c.resources?.requests ?? {};
  for (const [kind, values] of [
    ['limits', limits],
    ['requests', requests],
  ] as const) {
    for (const [name, raw] of Object.entries(values)) {
      const q = parseQuantity(String(raw));
      if (q === undefined) {
        errs.push(
          field.invalid(
            `${path}.resources.${kind}[${name}]`,
            String(raw),
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
          ),
        );
      } else if (q < 0) {
        errs.push(field.invalid(`${path}.resources.${kind}[${name}]`, String(raw), 'must be greater than or equal to 0'));
      }
    }
  }
  for (const [name, raw] of Object.entries(requests)) {
    const limit = limits[name];
    if (limit === undefined) continue;
    const rq = parseQuantity(String(raw));
    const lq = parseQuantity(String(limit));
    if (rq !== undefined && lq !== undefined && rq > lq) {
      errs.push(
        field.invalid(`${path}.resources.requests`, String(raw), `must be less than or equal to ${name} limit of ${limit}`),
      );
    }
  }
  return errs;
}

function validateContainer(c: Container, path: string, volumes: Set<string>, init: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(field.required(`${path}.name`));
  else for (const msg of isDNS1123Label(c.name)) errs.push(field.invalid(`${path}.name`, c.name, msg));
  if (!c.image) errs.push(field.required(`${path}.image`));
  if (c.imagePullPolicy && !PULL_POLICIES.includes(c.imagePullPolicy)) {
    errs.push(field.notSupported(`${path}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES));
  }
  const portNames = new Set<string>();
  (c.ports ?? []).forEach((p, i) => {
    const pp = `${path}.ports[${i}]`;
    // An unset (zero) containerPort is missing rather than out of range.
    if (!p.containerPort) errs.push(field.required(`${pp}.containerPort`));
    else errs.push(...validatePortNumber(p.containerPort, `${pp}.containerPort`));
    if (p.hostPort !== undefined && p.hostPort !== 0) errs.push(...validatePortNumber(p.hostPort, `${pp}.hostPort`));
    if (p.protocol && !PROTOCOLS.includes(p.protocol)) errs.push(field.notSupported(`${pp}.protocol`, p.protocol, PROTOCOLS));
    if (p.name) {
      errs.push(...validatePortName(p.name, `${pp}.name`));
      if (portNames.has(p.name)) errs.push(field.duplicate(`${pp}.name`, p.name));
      portNames.add(p.name);
    }
  });
  (c.env ?? []).forEach((e, i) => {
    const ep = `${path}.env[${i}]`;
    if (!e.name) errs.push(field.required(`${ep}.name`));
    else if (!ENV_NAME.test(e.name)) {
      errs.push(
        field.invalid(
          `${ep}.name`,
          e.name,
          "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
        ),
      );
    }
  });
  (c.volumeMounts ?? []).forEach((m, i) => {
    const mp = `${path}.volumeMounts[${i}]`;
    if (!m.name) errs.push(field.required(`${mp}.name`));
    else if (!volumes.has(m.name)) errs.push(field.notFound(`${mp}.name`, m.name));
    if (!m.mountPath) errs.push(field.required(`${mp}.mountPath`));
  });
  if (init && c.readinessProbe && c.restartPolicy !== 'Always') {
    errs.push(field.forbidden(`${path}.readinessProbe`, 'may not be set for init containers without restartPolicy=Always'));
  }
  errs.push(...validateResources(c, path));
  const sc = c.securityContext;
  errs.push(...validateSeccompProfile(sc?.seccompProfile, `${path}.securityContext.seccompProfile`));
  errs.push(...validateAppArmorProfile(sc?.appArmorProfile, `${path}.securityContext.appArmorProfile`));
  return errs;
}

const VOLUME_SOURCES = [
  'hostPath',
  'emptyDir',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
];

function validateVolume(v: Volume, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!v.name) errs.push(field.required(`${path}.name`));
  else for (const msg of isDNS1123Label(v.name)) errs.push(field.invalid(`${path}.name`, v.name, msg));
  const sources = VOLUME_SOURCES.filter((s) => (v as unknown as Record<string, unknown>)[s] !== undefined);
  if (sources.length === 0) errs.push(field.required(path, 'must specify a volume type'));
  else if (sources.length > 1) {
    errs.push(field.forbidden(`${path}.${sources[1]}`, `may not specify more than 1 volume type`));
  }
  if (v.configMap && !v.configMap.name) errs.push(field.required(`${path}.configMap.name`));
  if (v.secret && !v.secret.secretName) errs.push(field.required(`${path}.secret.secretName`));
  if (v.persistentVolumeClaim && !v.persistentVolumeClaim.claimName) {
    errs.push(field.required(`${path}.persistentVolumeClaim.claimName`));
  }
  if (v.hostPath && !v.hostPath.path) errs.push(field.required(`${path}.hostPath.path`));
  return errs;
}

export function validatePodSpec(spec: PodSpec | undefined, path: string, extraVolumes: string[] = []): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec) return [field.required(path)];
  // A StatefulSet's claim templates are volumes its pods will have.
  const volumes = new Set<string>(extraVolumes);
  (spec.volumes ?? []).forEach((v, i) => {
    errs.push(...validateVolume(v, `${path}.volumes[${i}]`));
    if (v.name) {
      if (volumes.has(v.name)) errs.push(field.duplicate(`${path}.volumes[${i}].name`, v.name));
      volumes.add(v.name);
    }
  });
  const names = new Set<string>();
  const checkName = (c: Container, p: string) => {
    if (!c.name) return;
    if (names.has(c.name)) errs.push(field.duplicate(`${p}.name`, c.name));
    names.add(c.name);
  };
  (spec.initContainers ?? []).forEach((c, i) => {
    const p = `${path}.initContainers[${i}]`;
    errs.push(...validateContainer(c, p, volumes, true));
    checkName(c, p);
  });
  if (!spec.containers || spec.containers.length === 0) errs.push(field.required(`${path}.containers`));
  (spec.containers ?? []).forEach((c, i) => {
    const p = `${path}.containers[${i}]`;
    errs.push(...validateContainer(c, p, volumes, false));
    checkName(c, p);
  });
  if (spec.restartPolicy && !RESTART_POLICIES.includes(spec.restartPolicy)) {
    errs.push(field.notSupported(`${path}.restartPolicy`, spec.restartPolicy, RESTART_POLICIES));
  }
  if (spec.dnsPolicy && !DNS_POLICIES.includes(spec.dnsPolicy)) {
    errs.push(field.notSupported(`${path}.dnsPolicy`, spec.dnsPolicy, DNS_POLICIES));
  }
  if (spec.terminationGracePeriodSeconds !== undefined && spec.terminationGracePeriodSeconds < 0) {
    errs.push(field.invalid(`${path}.terminationGracePeriodSeconds`, spec.terminationGracePeriodSeconds, 'must be greater than or equal to 0'));
  }
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) {
    for (const msg of isQualifiedName(k)) errs.push(field.invalid(`${path}.nodeSelector`, k, msg));
    void v;
  }
  errs.push(...validateSeccompProfile(spec.securityContext?.seccompProfile, `${path}.securityContext.seccompProfile`));
  errs.push(...validateAppArmorProfile(spec.securityContext?.appArmorProfile, `${path}.securityContext.appArmorProfile`));
  return errs;
}

export function validatePodTemplate(t: PodTemplateSpec | undefined, path: string, extraVolumes: string[] = []): FieldError[] {
  if (!t) return [field.required(path)];
  return [...validateLabels(t.metadata?.labels, `${path}.metadata.labels`), ...validatePodSpec(t.spec, `${path}.spec`, extraVolumes)];
}

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

export function validateService(svc: Service): FieldError[] {
  const errs: FieldError[] = [];
  const spec = svc.spec ?? {};
  const type = spec.type ?? 'ClusterIP';
  if (!SERVICE_TYPES.includes(type)) errs.push(field.notSupported('spec.type', type, SERVICE_TYPES));
  const ports = spec.ports ?? [];
  if (ports.length === 0 && type !== 'ExternalName' && spec.clusterIP !== 'None') {
    errs.push(field.required('spec.ports'));
  }
  if (type === 'ExternalName' && !spec.externalName) errs.push(field.required('spec.externalName'));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const pp = `spec.ports[${i}]`;
    if (ports.length > 1 && !p.name) errs.push(field.required(`${pp}.name`));
    if (p.name) {
      for (const msg of isDNS1123Label(p.name)) errs.push(field.invalid(`${pp}.name`, p.name, msg));
      if (names.has(p.name)) errs.push(field.duplicate(`${pp}.name`, p.name));
      names.add(p.name);
    }
    errs.push(...validatePortNumber(p.port, `${pp}.port`));
    if (p.protocol && !PROTOCOLS.includes(p.protocol)) errs.push(field.notSupported(`${pp}.protocol`, p.protocol, PROTOCOLS));
    if (typeof p.targetPort === 'number') errs.push(...validatePortNumber(p.targetPort, `${pp}.targetPort`));
    else if (typeof p.targetPort === 'string') errs.push(...validatePortName(p.targetPort, `${pp}.targetPort`));
    if (p.nodePort !== undefined && p.nodePort !== 0) {
      if (type === 'ClusterIP') {
        errs.push(field.forbidden(`${pp}.nodePort`, 'may not be used when `type` is \'ClusterIP\''));
      } else if (p.nodePort < 30000 || p.nodePort > 32767) {
        errs.push(field.invalid(`${pp}.nodePort`, p.nodePort, 'provided port is not in the valid range. The range of valid ports is 30000-32767'));
      }
    }
  });
  errs.push(...validateLabels(spec.selector, 'spec.selector'));
  return errs;
}

export function validateConfigMapKeys(data: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  // field.NewPath("data").Key(k): the key in brackets.
  for (const k of Object.keys(data ?? {})) for (const msg of isConfigMapKey(k)) errs.push(field.invalid(`${path}[${k}]`, k, msg));
  return errs;
}

// `field is immutable` for a changed value, with Go's rendering of the new one.
export function immutable(path: string, value: unknown): FieldError {
  return field.invalid(path, value, 'field is immutable');
}
