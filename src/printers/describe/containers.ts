import type {
  Container,
  ContainerState,
  ContainerStatus,
  EnvVar,
  Pod,
  PodTemplateSpec,
  Probe,
  TopologySpreadConstraint,
} from 'kubernetes-types/core/v1';
import type { Writer } from './engine';
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, goList, printBool, rfc1123z, stableSort } from './engine';
import { describeResources, formatSelector, printAnnotationsMultiline, printLabelsMultiline, printTolerationsMultiline } from './common';
import { describeVolumes } from './volumes';
import { ZERO, milliValue, parseQ, value } from './quantity';

// Containers (pods and pod templates) and the Pod Template block the
// workload describers share.

// The value a fieldRef env var shows. kubectl's scheme has no pod field label
// conversions, so only metadata.name and metadata.namespace resolve; other
// paths print as an empty value followed by `(v1:<path>)`.
export type EnvResolver = (e: EnvVar) => string;

export function envResolver(pod: Pod): EnvResolver {
  return (e) => {
    const path = e.valueFrom?.fieldRef?.fieldPath;
    if (path === 'metadata.name') return pod.metadata?.name ?? '';
    if (path === 'metadata.namespace') return pod.metadata?.namespace ?? '';
    return '';
  };
}

function containerPorts(c: Container, field: 'containerPort' | 'hostPort'): string {
  return (c.ports ?? []).map((p) => `${p[field] ?? 0}/${p.protocol ?? ''}`).join(', ');
}

function describeBasicInfo(w: Writer, c: Container, status: ContainerStatus | undefined, space: string): void {
  w.write(LEVEL_1, `${space ? ' ' : ''}${c.name}:\n`);
  if (status) w.write(LEVEL_2, `Container ID:\t${status.containerID ?? ''}\n`);
  w.write(LEVEL_2, `Image:\t${c.image ?? ''}\n`);
  if (status) w.write(LEVEL_2, `Image ID:\t${status.imageID ?? ''}\n`);
  for (const [single, plural, field] of [
    ['Port', 'Ports', 'containerPort'],
    ['Host Port', 'Host Ports', 'hostPort'],
  ] as const) {
    const ports = containerPorts(c, field);
    if (ports.includes(',')) w.write(LEVEL_2, `${plural}:\t${ports}\n`);
    else w.write(LEVEL_2, `${single}:\t${ports || '<none>'}\n`);
  }
  const seccomp = c.securityContext?.seccompProfile;
  if (seccomp) {
    w.write(LEVEL_2, `SeccompProfile:\t${seccomp.type}\n`);
    if (seccomp.type === 'Localhost') w.write(LEVEL_3, `LocalhostProfile:\t${seccomp.localhostProfile ?? ''}\n`);
  }
}

function describeCommand(w: Writer, c: Container): void {
  for (const [title, items] of [
    ['Command', c.command],
    ['Args', c.args],
  ] as const) {
    if (!items || items.length === 0) continue;
    w.write(LEVEL_2, `${title}:\n`);
    for (const item of items) for (const line of item.split('\n')) w.write(LEVEL_3, `${line}\n`);
  }
}

function describeState(w: Writer, title: string, state: ContainerState | undefined): void {
  if (state?.running) {
    w.write(LEVEL_2, `${title}:\tRunning\n`);
    w.write(LEVEL_3, `Started:\t${rfc1123z(state.running.startedAt)}\n`);
  } else if (state?.waiting) {
    w.write(LEVEL_2, `${title}:\tWaiting\n`);
    if (state.waiting.reason) w.write(LEVEL_3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state?.terminated) {
    const t = state.terminated;
    w.write(LEVEL_2, `${title}:\tTerminated\n`);
    if (t.reason) w.write(LEVEL_3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(LEVEL_3, `Message:\t${t.message}\n`);
    w.write(LEVEL_3, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if ((t.signal ?? 0) > 0) w.write(LEVEL_3, `Signal:\t${t.signal}\n`);
    w.write(LEVEL_3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(LEVEL_3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else {
    w.write(LEVEL_2, `${title}:\tWaiting\n`);
  }
}

// Go's url.URL{Scheme, Host, Path}.String(), with the path escaped as a URL path.
function probeURL(scheme: string, host: string, path: string): string {
  const escaped = path.replace(/[^A-Za-z0-9\-._~$&+,/:;=@!'()*]/g, (ch) =>
    Array.from(Buffer.from(ch, 'utf8'))
      .map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`)
      .join(''),
  );
  let out = scheme ? `${scheme}:` : '';
  if (scheme || host) out += `//${host}`;
  if (escaped && !escaped.startsWith('/') && host) out += '/';
  return out + escaped;
}

// net.JoinHostPort: IPv6 hosts get brackets.
function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

// DescribeProbe.
export function describeProbe(p: Probe): string {
  const attrs =
    `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 0}s period=${p.periodSeconds ?? 0}s ` +
    `#success=${p.successThreshold ?? 0} #failure=${p.failureThreshold ?? 0}`;
  if (p.exec) return `exec ${goList(p.exec.command)} ${attrs}`;
  if (p.httpGet) {
    const port = String(p.httpGet.port ?? '');
    const host = p.httpGet.host ?? '';
    const url = probeURL((p.httpGet.scheme ?? '').toLowerCase(), port ? joinHostPort(host, port) : host, p.httpGet.path ?? '');
    return `http-get ${url} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ''}:${String(p.tcpSocket.port ?? '')} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

function describeProbes(w: Writer, c: Container): void {
  if (c.livenessProbe) w.write(LEVEL_2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
  if (c.readinessProbe) w.write(LEVEL_2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
  if (c.startupProbe) w.write(LEVEL_2, `Startup:\t${describeProbe(c.startupProbe)}\n`);
}

function describeEnvFrom(w: Writer, c: Container): void {
  w.write(LEVEL_2, 'Environment Variables from:\n');
  for (const e of c.envFrom ?? []) {
    const source = e.configMapRef ? 'ConfigMap' : e.secretRef ? 'Secret' : '';
    const ref = e.configMapRef ?? e.secretRef;
    const optional = ref?.optional === true;
    const from = e.prefix ? `${source} with prefix '${e.prefix}'` : source;
    w.write(LEVEL_3, `${ref?.name ?? ''}\t${from}\tOptional: ${optional}\n`);
  }
}

// ExtractContainerResourceValue: the resource in units of the divisor, rounded
// up; '' for resources it does not know.
function resourceFieldValue(c: Container, resource: string, divisorText: unknown): string {
  const dot = resource.indexOf('.');
  const list = resource.slice(0, dot);
  const name = resource.slice(dot + 1);
  const known = ['cpu', 'memory', 'ephemeral-storage'].includes(name) || name.startsWith('hugepages-');
  if (dot < 0 || (list !== 'limits' && list !== 'requests') || !known) return '';
  const parsed = parseQ(divisorText);
  const divisor = parsed && !parsed.isZero() ? parsed : parseQ('1')!;
  const q = parseQ(c.resources?.[list]?.[name]) ?? ZERO;
  const ratio = name === 'cpu' ? milliValue(q) / milliValue(divisor) : value(q) / value(divisor);
  return String(Math.ceil(ratio));
}

function describeEnv(w: Writer, c: Container, resolve: EnvResolver | undefined): void {
  const env = c.env ?? [];
  w.write(LEVEL_2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`);
  for (const e of env) {
    const from = e.valueFrom;
    if (!from) {
      (e.value ?? '').split('\n').forEach((line, i) => {
        w.write(LEVEL_3, i === 0 ? `${e.name}:\t${line}\n` : `\t${line}\n`);
      });
    } else if (from.fieldRef) {
      const value = resolve ? resolve(e) : '';
      w.write(LEVEL_3, `${e.name}:\t${value} (${from.fieldRef.apiVersion ?? ''}:${from.fieldRef.fieldPath})\n`);
    } else if (from.resourceFieldRef) {
      const resource = from.resourceFieldRef.resource;
      let value = resourceFieldValue(c, resource, from.resourceFieldRef.divisor);
      if (value === '0' && (resource === 'limits.cpu' || resource === 'limits.memory')) value = 'node allocatable';
      w.write(LEVEL_3, `${e.name}:\t${value} (${resource})\n`);
    } else if (from.secretKeyRef) {
      const r = from.secretKeyRef;
      w.write(LEVEL_3, `${e.name}:\t<set to the key '${r.key}' in secret '${r.name ?? ''}'>\tOptional: ${r.optional === true}\n`);
    } else if (from.configMapKeyRef) {
      const r = from.configMapKeyRef;
      w.write(LEVEL_3, `${e.name}:\t<set to the key '${r.key}' of config map '${r.name ?? ''}'>\tOptional: ${r.optional === true}\n`);
    }
  }
}

function describeMounts(w: Writer, c: Container): void {
  const mounts = stableSort(c.volumeMounts ?? [], (a, b) => a.mountPath < b.mountPath);
  const none = mounts.length === 0 ? '\t<none>' : '';
  w.write(LEVEL_2, `Mounts:${none}\n`);
  for (const m of mounts) {
    const flags = [m.readOnly ? 'ro' : 'rw'];
    if (m.subPath) flags.push(`path=${JSON.stringify(m.subPath)}`);
    w.write(LEVEL_3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`);
  }
  const devices = stableSort(c.volumeDevices ?? [], (a, b) => a.devicePath < b.devicePath);
  if (devices.length > 0) {
    w.write(LEVEL_2, `Devices:${none}\n`);
    for (const d of devices) w.write(LEVEL_3, `${d.devicePath} from ${d.name}\n`);
  }
}

// describeContainers: `<label>:` and every container's details.
export function describeContainers(
  w: Writer,
  label: string,
  containers: readonly Container[],
  statuses: readonly ContainerStatus[] | undefined,
  resolve: EnvResolver | undefined,
  space: string,
): void {
  const byName = new Map((statuses ?? []).map((s) => [s.name, s]));
  w.write(LEVEL_0, `${space}${label}:${containers.length === 0 ? ' <none>' : ''}\n`);
  for (const c of containers) {
    const status = byName.get(c.name);
    describeBasicInfo(w, c, status, space);
    describeCommand(w, c);
    if (status) {
      describeState(w, 'State', status.state);
      if (status.lastState?.terminated) describeState(w, 'Last State', status.lastState);
      w.write(LEVEL_2, `Ready:\t${printBool(status.ready)}\n`);
      w.write(LEVEL_2, `Restart Count:\t${status.restartCount ?? 0}\n`);
    }
    describeResources(w, c.resources, LEVEL_2);
    describeProbes(w, c);
    if ((c.envFrom ?? []).length > 0) describeEnvFrom(w, c);
    describeEnv(w, c, resolve);
    describeMounts(w, c);
  }
}

// describeTopologySpreadConstraints: one line per constraint, sorted by topology key.
export function describeTopologySpread(w: Writer, constraints: readonly TopologySpreadConstraint[] | undefined, space: string): void {
  const tscs = stableSort(constraints ?? [], (a, b) => a.topologyKey < b.topologyKey);
  if (tscs.length === 0) return;
  w.write(LEVEL_0, `${space}Topology Spread Constraints:\t`);
  tscs.forEach((t, i) => {
    if (i !== 0) w.write(LEVEL_0, `${space}\t`);
    let s = `${t.topologyKey}:${t.whenUnsatisfiable} when max skew ${t.maxSkew} is exceeded`;
    if (t.labelSelector) s += ` for selector ${formatSelector(t.labelSelector)}`;
    w.write(LEVEL_0, `${s}\n`);
  });
}

// DescribePodTemplate: the `Pod Template:` block of workload describers.
export function describePodTemplate(w: Writer, template: PodTemplateSpec | undefined): void {
  w.write(LEVEL_0, 'Pod Template:\n');
  if (!template) {
    w.write(LEVEL_1, '<unset>');
    return;
  }
  const meta = template.metadata ?? {};
  const spec = template.spec;
  printLabelsMultiline(w, '  Labels', meta.labels);
  if (Object.keys(meta.annotations ?? {}).length > 0) printAnnotationsMultiline(w, '  Annotations', meta.annotations);
  if (spec?.serviceAccountName) w.write(LEVEL_1, `Service Account:\t${spec.serviceAccountName}\n`);
  if ((spec?.initContainers ?? []).length > 0) describeContainers(w, 'Init Containers', spec!.initContainers!, undefined, undefined, '  ');
  describeContainers(w, 'Containers', spec?.containers ?? [], undefined, undefined, '  ');
  describeVolumes(w, spec?.volumes, '  ');
  describeTopologySpread(w, spec?.topologySpreadConstraints, '  ');
  if (spec?.priorityClassName) w.write(LEVEL_1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  printLabelsMultiline(w, '  Node-Selectors', spec?.nodeSelector);
  printTolerationsMultiline(w, '  Tolerations', spec?.tolerations);
}
