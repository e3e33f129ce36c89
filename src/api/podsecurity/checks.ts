import type { Container, PodSpec, Volume } from 'kubernetes-types/core/v1';
import type { ObjectMeta } from 'kubernetes-types/meta/v1';

// The Pod Security Standards as data: one entry per check of
// k8s.io/pod-security-admission/policy (id, level, and the function of each
// version range), each returning the forbidden reason and detail in the
// admission plugin's own words.

export interface Violation {
  reason: string;
  detail: string;
}

export type CheckFn = (meta: ObjectMeta, spec: PodSpec) => Violation | undefined;

export interface VersionedCheck {
  // The first 1.x minor version this function applies to.
  since: number;
  fn: CheckFn;
  // Baseline checks this restricted check supersedes from `since` on.
  overrides?: string[];
}

export interface Check {
  id: string;
  level: 'baseline' | 'restricted';
  versions: VersionedCheck[];
}

// init containers, containers, then ephemeral containers, as visitContainers.
function containers(spec: PodSpec): Container[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...((spec.ephemeralContainers ?? []) as Container[])];
}

function plural(singular: string, count: number): string {
  return count === 1 ? singular : `${singular}s`;
}

function quoteAll(items: string[]): string {
  return items.length === 0 ? '' : `"${items.join('", "')}"`;
}

// `container "a"` / `containers "a", "b"`.
function named(noun: string, names: string[]): string {
  return `${plural(noun, names.length)} ${quoteAll(names)}`;
}

function sortedUnique(items: Iterable<string>): string[] {
  return [...new Set(items)].sort();
}

function badContainers(spec: PodSpec, bad: (c: Container) => boolean): string[] {
  return containers(spec).filter(bad).map((c) => c.name);
}

const isWindows = (spec: PodSpec) => spec.os?.name === 'windows';

// A later version of a check that lets Windows pods through (the 1.25 forms).
function skipWindows(fn: CheckFn): CheckFn {
  return (meta, spec) => (isWindows(spec) ? undefined : fn(meta, spec));
}

// `pod and containers "a"` style setters: the pod when its own field is bad,
// then the containers whose field is bad.
function setters(podBad: boolean, containerNames: string[]): string[] {
  return [...(podBad ? ['pod'] : []), ...(containerNames.length ? [named('container', containerNames)] : [])];
}

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD',
  'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

const capabilitiesBaseline: CheckFn = (_meta, spec) => {
  const extra: string[] = [];
  const bad = badContainers(spec, (c) => {
    const added = (c.securityContext?.capabilities?.add ?? []).filter((cap) => !BASELINE_CAPABILITIES.has(cap));
    extra.push(...added);
    return added.length > 0;
  });
  if (!bad.length) return undefined;
  return {
    reason: 'non-default capabilities',
    detail: `${named('container', bad)} must not include ${quoteAll(sortedUnique(extra))} in securityContext.capabilities.add`,
  };
};

const hostNamespaces: CheckFn = (_meta, spec) => {
  const shared = [
    spec.hostNetwork ? 'hostNetwork=true' : '',
    spec.hostPID ? 'hostPID=true' : '',
    spec.hostIPC ? 'hostIPC=true' : '',
  ].filter(Boolean);
  return shared.length ? { reason: 'host namespaces', detail: shared.join(', ') } : undefined;
};

const hostPathVolumes: CheckFn = (_meta, spec) => {
  const vols = (spec.volumes ?? []).filter((v) => v.hostPath).map((v) => v.name);
  return vols.length ? { reason: 'hostPath volumes', detail: named('volume', vols) } : undefined;
};

const hostPorts: CheckFn = (_meta, spec) => {
  const ports: string[] = [];
  const bad = badContainers(spec, (c) => {
    const used = (c.ports ?? []).filter((p) => p.hostPort).map((p) => String(p.hostPort));
    ports.push(...used);
    return used.length > 0;
  });
  if (!bad.length) return undefined;
  const list = sortedUnique(ports);
  return {
    reason: 'hostPort',
    detail: `${named('container', bad)} ${bad.length === 1 ? 'uses' : 'use'} ${plural('hostPort', list.length)} ${list.join(', ')}`,
  };
};

const privileged: CheckFn = (_meta, spec) => {
  const bad = badContainers(spec, (c) => c.securityContext?.privileged === true);
  return bad.length ? { reason: 'privileged', detail: `${named('container', bad)} must not set securityContext.privileged=true` } : undefined;
};

const procMount: CheckFn = (_meta, spec) => {
  const types: string[] = [];
  const bad = badContainers(spec, (c) => {
    const pm = c.securityContext?.procMount;
    if (pm === undefined || pm === 'Default') return false;
    types.push(pm);
    return true;
  });
  if (!bad.length) return undefined;
  return { reason: 'procMount', detail: `${named('container', bad)} must not set securityContext.procMount to ${quoteAll(sortedUnique(types))}` };
};

function seLinuxOptions(allowedTypes: Set<string>): CheckFn {
  return (_meta, spec) => {
    const badTypes: string[] = [];
    let setUser = false;
    let setRole = false;
    const valid = (o: { type?: string; user?: string; role?: string } | undefined): boolean => {
      if (!o) return true;
      let ok = true;
      if (!allowedTypes.has(o.type ?? '')) {
        ok = false;
        badTypes.push(o.type ?? '');
      }
      if (o.user) [ok, setUser] = [false, true];
      if (o.role) [ok, setRole] = [false, true];
      return ok;
    };
    const podBad = !valid(spec.securityContext?.seLinuxOptions);
    const bad = badContainers(spec, (c) => !valid(c.securityContext?.seLinuxOptions));
    const who = setters(podBad, bad);
    if (!who.length) return undefined;
    const types = sortedUnique(badTypes);
    const data = [
      ...(types.length ? [`${plural('type', types.length)} ${quoteAll(types)}`] : []),
      ...(setUser ? ['user may not be set'] : []),
      ...(setRole ? ['role may not be set'] : []),
    ];
    return { reason: 'seLinuxOptions', detail: `${who.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}` };
  };
}

const SELINUX_TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t'];

const validSeccomp = (t: string | undefined) => t === 'RuntimeDefault' || t === 'Localhost';

const seccompProfileBaseline: CheckFn = (_meta, spec) => {
  const values: string[] = [];
  const bad = (p: { type: string } | undefined) => {
    if (!p || validSeccomp(p.type)) return false;
    values.push(p.type);
    return true;
  };
  const who = setters(bad(spec.securityContext?.seccompProfile), badContainers(spec, (c) => bad(c.securityContext?.seccompProfile)));
  if (!who.length) return undefined;
  return {
    reason: 'seccompProfile',
    detail: `${who.join(' and ')} must not set securityContext.seccompProfile.type to ${quoteAll(sortedUnique(values))}`,
  };
};

const SYSCTLS_1_0 = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start'];
const SYSCTLS_1_27 = [...SYSCTLS_1_0, 'net.ipv4.ip_local_reserved_ports'];
const SYSCTLS_1_29 = [...SYSCTLS_1_27, 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];
const SYSCTLS_1_32 = [...SYSCTLS_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];

function sysctls(allowed: string[]): CheckFn {
  const set = new Set(allowed);
  return (_meta, spec) => {
    const bad = (spec.securityContext?.sysctls ?? []).map((s) => s.name).filter((n) => !set.has(n));
    return bad.length ? { reason: 'forbidden sysctls', detail: bad.join(', ') } : undefined;
  };
}

const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

const appArmorProfile: CheckFn = (meta, spec) => {
  const values: string[] = [];
  const bad = (p: { type: string } | undefined) => {
    if (!p || p.type === 'RuntimeDefault' || p.type === 'Localhost') return false;
    values.push(p.type);
    return true;
  };
  const who = setters(bad(spec.securityContext?.appArmorProfile), badContainers(spec, (c) => bad(c.securityContext?.appArmorProfile)));
  const annotations = Object.entries(meta.annotations ?? {})
    .filter(([k, v]) => k.startsWith(APPARMOR_ANNOTATION) && !(v === '' || v === 'runtime/default' || v.startsWith('localhost/')))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .sort();
  const list = [...sortedUnique(values), ...annotations];
  if (annotations.length) who.push(plural('annotation', annotations.length));
  if (!who.length) return undefined;
  return {
    reason: plural('forbidden AppArmor profile', list.length),
    detail: `${who.join(' and ')} must not set AppArmor profile type to ${quoteAll(list)}`,
  };
};

const windowsHostProcess: CheckFn = (_meta, spec) => {
  const who = setters(
    spec.securityContext?.windowsOptions?.hostProcess === true,
    badContainers(spec, (c) => c.securityContext?.windowsOptions?.hostProcess === true),
  );
  return who.length ? { reason: 'hostProcess', detail: `${who.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true` } : undefined;
};

const allowPrivilegeEscalation: CheckFn = (_meta, spec) => {
  const bad = badContainers(spec, (c) => c.securityContext?.allowPrivilegeEscalation !== false);
  if (!bad.length) return undefined;
  return { reason: 'allowPrivilegeEscalation != false', detail: `${named('container', bad)} must set securityContext.allowPrivilegeEscalation=false` };
};

const capabilitiesRestricted: CheckFn = (_meta, spec) => {
  const forbidden: string[] = [];
  const missingDropAll = badContainers(spec, (c) => !(c.securityContext?.capabilities?.drop ?? []).includes('ALL'));
  const adding = badContainers(spec, (c) => {
    const added = (c.securityContext?.capabilities?.add ?? []).filter((cap) => cap !== 'NET_BIND_SERVICE');
    forbidden.push(...added);
    return added.length > 0;
  });
  const details = [
    ...(missingDropAll.length ? [`${named('container', missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`] : []),
    ...(adding.length ? [`${named('container', adding)} must not include ${quoteAll(sortedUnique(forbidden))} in securityContext.capabilities.add`] : []),
  ];
  return details.length ? { reason: 'unrestricted capabilities', detail: details.join('; ') } : undefined;
};

// The volume sources restricted allows; any other is named by its field.
const ALLOWED_VOLUME_SOURCES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret']);
const RESTRICTED_VOLUME_SOURCES = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder',
  'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos',
];

function volumeSources(v: Volume): string[] {
  return Object.keys(v).filter((k) => k !== 'name');
}

const restrictedVolumes: CheckFn = (_meta, spec) => {
  const types: string[] = [];
  const bad = (spec.volumes ?? []).filter((v) => {
    const sources = volumeSources(v);
    if (sources.some((s) => ALLOWED_VOLUME_SOURCES.has(s))) return false;
    types.push(RESTRICTED_VOLUME_SOURCES.find((s) => sources.includes(s)) ?? 'unknown');
    return true;
  }).map((v) => v.name);
  if (!bad.length) return undefined;
  const list = sortedUnique(types);
  return {
    reason: 'restricted volume types',
    detail: `${named('volume', bad)} ${bad.length === 1 ? 'uses' : 'use'} ${plural('restricted volume type', list.length)} ${quoteAll(list)}`,
  };
};

const runAsNonRoot: CheckFn = (_meta, spec) => {
  const pod = spec.securityContext?.runAsNonRoot;
  const explicit = badContainers(spec, (c) => c.securityContext?.runAsNonRoot === false);
  const implicit = badContainers(spec, (c) => c.securityContext?.runAsNonRoot === undefined && pod !== true);
  const who = setters(pod === false, explicit);
  if (who.length) return { reason: 'runAsNonRoot != true', detail: `${who.join(' and ')} must not set securityContext.runAsNonRoot=false` };
  if (implicit.length) return { reason: 'runAsNonRoot != true', detail: `pod or ${named('container', implicit)} must set securityContext.runAsNonRoot=true` };
  return undefined;
};

const runAsUser: CheckFn = (_meta, spec) => {
  const who = setters(spec.securityContext?.runAsUser === 0, badContainers(spec, (c) => c.securityContext?.runAsUser === 0));
  return who.length ? { reason: 'runAsUser=0', detail: `${who.join(' and ')} must not set runAsUser=0` } : undefined;
};

const seccompProfileRestricted: CheckFn = (_meta, spec) => {
  const values: string[] = [];
  const podProfile = spec.securityContext?.seccompProfile;
  const podBad = podProfile !== undefined && !validSeccomp(podProfile.type);
  if (podBad) values.push(podProfile.type);
  const podSet = podProfile !== undefined && !podBad;
  const explicit = badContainers(spec, (c) => {
    const p = c.securityContext?.seccompProfile;
    if (!p || validSeccomp(p.type)) return false;
    values.push(p.type);
    return true;
  });
  const implicit = badContainers(spec, (c) => c.securityContext?.seccompProfile === undefined && !podSet);
  const who = setters(podBad, explicit);
  if (who.length) {
    return { reason: 'seccompProfile', detail: `${who.join(' and ')} must not set securityContext.seccompProfile.type to ${quoteAll(sortedUnique(values))}` };
  }
  if (implicit.length) {
    return {
      reason: 'seccompProfile',
      detail: `pod or ${named('container', implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
    };
  }
  return undefined;
};

export const CHECKS: Check[] = [
  { id: 'appArmorProfile', level: 'baseline', versions: [{ since: 0, fn: appArmorProfile }] },
  { id: 'capabilities_baseline', level: 'baseline', versions: [{ since: 0, fn: capabilitiesBaseline }] },
  { id: 'hostNamespaces', level: 'baseline', versions: [{ since: 0, fn: hostNamespaces }] },
  { id: 'hostPathVolumes', level: 'baseline', versions: [{ since: 0, fn: hostPathVolumes }] },
  { id: 'hostPorts', level: 'baseline', versions: [{ since: 0, fn: hostPorts }] },
  { id: 'privileged', level: 'baseline', versions: [{ since: 0, fn: privileged }] },
  { id: 'procMount', level: 'baseline', versions: [{ since: 0, fn: procMount }] },
  {
    id: 'seLinuxOptions',
    level: 'baseline',
    versions: [
      { since: 0, fn: seLinuxOptions(new Set(SELINUX_TYPES)) },
      { since: 31, fn: seLinuxOptions(new Set([...SELINUX_TYPES, 'container_engine_t'])) },
    ],
  },
  { id: 'seccompProfile_baseline', level: 'baseline', versions: [{ since: 19, fn: seccompProfileBaseline }] },
  {
    id: 'sysctls',
    level: 'baseline',
    versions: [
      { since: 0, fn: sysctls(SYSCTLS_1_0) },
      { since: 27, fn: sysctls(SYSCTLS_1_27) },
      { since: 29, fn: sysctls(SYSCTLS_1_29) },
      { since: 32, fn: sysctls(SYSCTLS_1_32) },
    ],
  },
  { id: 'windowsHostProcess', level: 'baseline', versions: [{ since: 0, fn: windowsHostProcess }] },
  {
    id: 'allowPrivilegeEscalation',
    level: 'restricted',
    versions: [{ since: 8, fn: allowPrivilegeEscalation }, { since: 25, fn: skipWindows(allowPrivilegeEscalation) }],
  },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    versions: [
      { since: 22, fn: capabilitiesRestricted, overrides: ['capabilities_baseline'] },
      { since: 25, fn: skipWindows(capabilitiesRestricted), overrides: ['capabilities_baseline'] },
    ],
  },
  { id: 'restrictedVolumes', level: 'restricted', versions: [{ since: 0, fn: restrictedVolumes, overrides: ['hostPathVolumes'] }] },
  { id: 'runAsNonRoot', level: 'restricted', versions: [{ since: 0, fn: runAsNonRoot }] },
  { id: 'runAsUser', level: 'restricted', versions: [{ since: 23, fn: runAsUser }] },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    versions: [
      { since: 19, fn: seccompProfileRestricted, overrides: ['seccompProfile_baseline'] },
      { since: 25, fn: skipWindows(seccompProfileRestricted), overrides: ['seccompProfile_baseline'] },
    ],
  },
];
