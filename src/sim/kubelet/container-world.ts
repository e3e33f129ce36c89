import type { Container, EnvVar, Pod, Service, Volume, VolumeMount } from 'kubernetes-types/core/v1';
import type { ApiServer } from '../../api/server';
import type { KubeObject } from '../../api/types';
import { kind } from '../../api/registry';
import { MemFs } from '../shell';
import type { FileStat, FileSystem, FsError, HttpRequest, HttpResult, ShellWorld, TcpResult } from '../shell';
import type { MemFsData } from '../shell';
import type { PodRuntime } from './types';
import { httpToPod, podByIP, resolveName, serviceBackends, targetPortOn, tcpToPod } from '../network';
import type { HttpAnswer } from '../network';
import { getPath } from '../../util/json';
import { lookupImage } from '../images';
import { TOOLS } from '../images/tools';
import { PAGES } from '../pages';
import { appArmorConfinement, seccompState, writeDenied } from './security';
import type { Confinement } from './security';
import { mainProcesses, signalMain } from './processes';
import { wakeAt } from '../../reconciler/reconciler';

// What a container sees when its commands run: its filesystem (the image's
// few files, the kubelet's /etc/hosts and resolv.conf, mounted ConfigMaps,
// Secrets, downward API and service-account token, emptyDirs shared by the
// pod, and what it wrote itself), its environment, the cluster's DNS and
// network. All of it simulated: nothing here touches the host.

type P = Pod & KubeObject;

export const CLUSTER_DOMAIN = 'cluster.local';
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function hostsFile(pod: P, ip: string | undefined): string {
  const name = pod.spec?.hostname ?? pod.metadata.name;
  const fqdn = pod.spec?.subdomain ? `\t${name}.${pod.spec.subdomain}.${pod.metadata.namespace}.svc.${CLUSTER_DOMAIN}\t${name}` : `\t${name}`;
  return (
    '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n' +
    (ip ? `${ip}${fqdn}\n` : '')
  );
}

function resolvConf(pod: P): string {
  if (pod.spec?.dnsPolicy === 'Default') return 'nameserver 192.168.49.1\n';
  const ns = pod.metadata.namespace;
  return `nameserver 10.96.0.10\nsearch ${ns}.svc.${CLUSTER_DOMAIN} svc.${CLUSTER_DOMAIN} ${CLUSTER_DOMAIN}\noptions ndots:5\n`;
}

// The files a volume shows, by path inside it.
function volumeFiles(api: ApiServer, pod: P, volumeName: string): Record<string, string> | undefined {
  const v = (pod.spec?.volumes ?? []).find((x) => x.name === volumeName);
  if (!v) return undefined;
  const ns = pod.metadata.namespace;
  const pick = (data: Record<string, string>, items: { key: string; path: string }[] | undefined) => {
    if (!items || items.length === 0) return { ...data };
    const out: Record<string, string> = {};
    for (const i of items) if (data[i.key] !== undefined) out[i.path] = data[i.key];
    return out;
  };
  const configMap = (name: string) => (api.peek(kind('ConfigMap'), ns, name)?.data as Record<string, string> | undefined) ?? {};
  const secret = (name: string) => {
    const data = (api.peek(kind('Secret'), ns, name)?.data as Record<string, string> | undefined) ?? {};
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(data)) out[k] = Buffer.from(val, 'base64').toString('utf8');
    return out;
  };
  const downward = (items: { path: string; fieldRef?: { fieldPath: string } }[]) => {
    const out: Record<string, string> = {};
    for (const i of items) if (i.fieldRef) out[i.path] = fieldRefValue(pod, i.fieldRef.fieldPath);
    return out;
  };
  if (v.configMap) return pick(configMap(v.configMap.name ?? ''), v.configMap.items);
  if (v.secret) return pick(secret(v.secret.secretName ?? ''), v.secret.items);
  if (v.downwardAPI) return downward(v.downwardAPI.items ?? []);
  if (v.projected) {
    const out: Record<string, string> = {};
    for (const s of v.projected.sources ?? []) {
      if (s.serviceAccountToken) out[s.serviceAccountToken.path] = `eyJhbGciOiJSUzI1NiIsImtpZCI6Imt1YmVtdSJ9.${Buffer.from(JSON.stringify({ sub: `system:serviceaccount:${ns}:${pod.spec?.serviceAccountName ?? 'default'}` })).toString('base64url')}.kubemu`;
      if (s.configMap) Object.assign(out, pick(configMap(s.configMap.name ?? ''), s.configMap.items));
      if (s.secret) Object.assign(out, pick(secret(s.secret.name ?? ''), s.secret.items));
      if (s.downwardAPI) Object.assign(out, downward(s.downwardAPI.items ?? []));
    }
    return out;
  }
  return undefined;
}

export function fieldRefValue(pod: P, path: string): string {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return (m[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations)?.[m[2]] ?? '';
  if (path === 'metadata.labels' || path === 'metadata.annotations') {
    const map = (path === 'metadata.labels' ? pod.metadata.labels : pod.metadata.annotations) ?? {};
    return Object.keys(map)
      .sort()
      .map((k) => `${k}="${map[k]}"`)
      .join('\n');
  }
  if (path === 'spec.serviceAccountName') return pod.spec?.serviceAccountName ?? 'default';
  const v = getPath(pod, path.split('.'));
  return v === undefined || v === null ? '' : String(v);
}

interface Mount {
  path: string;
  files?: () => Record<string, string>; // read-only generated content
  emptyDir?: FileSystem; // writable storage: emptyDir, claim, host path
  readOnly: boolean;
  // The pod's fsGroup, which the kubelet gives the volume (not host paths).
  fsGroup?: number;
}

// A volume's subPath seen as the root of a mount.
class SubdirFs implements FileSystem {
  constructor(
    private readonly fs: FileSystem,
    private readonly dir: string,
  ) {}
  private p(path: string): string {
    return path === '/' ? this.dir : this.dir + path;
  }
  stat(path: string, at: number): FileStat | undefined {
    return this.fs.stat(this.p(path), at);
  }
  read(path: string, at: number): string | undefined {
    return this.fs.read(this.p(path), at);
  }
  list(path: string, at: number): string[] | undefined {
    return this.fs.list(this.p(path), at);
  }
  write(path: string, data: string, append: boolean, at: number): FsError | undefined {
    return this.fs.write(this.p(path), data, append, at);
  }
  mkdir(path: string, at: number): FsError | undefined {
    return this.fs.mkdir(this.p(path), at);
  }
  remove(path: string, at: number): FsError | undefined {
    return this.fs.remove(this.p(path), at);
  }
}

// The container's filesystem: its own writable layer, with volume mounts over it.
class ContainerFs implements FileSystem {
  constructor(
    private readonly own: MemFs,
    private readonly mounts: Mount[],
  ) {}

  private mountOf(path: string): { m: Mount; rel: string } | undefined {
    let best: Mount | undefined;
    for (const m of this.mounts) if ((path === m.path || path.startsWith(`${m.path}/`)) && (!best || m.path.length > best.path.length)) best = m;
    return best ? { m: best, rel: path.slice(best.path.length) || '/' } : undefined;
  }

  private generated(m: Mount): MemFs {
    const fs = MemFs.from(Object.fromEntries(Object.entries(m.files?.() ?? {}).map(([k, v]) => [`/${k}`, v])));
    return fs;
  }

  private target(path: string): { fs: FileSystem; rel: string; readOnly: boolean } {
    const hit = this.mountOf(path);
    if (!hit) return { fs: this.own, rel: path, readOnly: false };
    if (hit.m.emptyDir) return { fs: hit.m.emptyDir, rel: hit.rel, readOnly: hit.m.readOnly };
    return { fs: this.generated(hit.m), rel: hit.rel, readOnly: true };
  }

  stat(path: string, at: number): FileStat | undefined {
    const t = this.target(path);
    const st = t.fs.stat(t.rel, at);
    const group = this.mountOf(path)?.m.fsGroup;
    if (!st || group === undefined) return st;
    // The kubelet makes the volume's root group-writable and set-group-ID, so
    // what is created in it belongs to the group too.
    const mode = (st.mode ?? (st.type === 'dir' ? 0o755 : 0o644)) | (st.type === 'dir' ? 0o2000 : 0) | (t.rel === '/' ? 0o070 : 0);
    return { ...st, gid: group, mode };
  }

  read(path: string, at: number): string | undefined {
    const t = this.target(path);
    return t.fs.read(t.rel, at);
  }

  list(path: string, at: number): string[] | undefined {
    const t = this.target(path);
    const names = t.fs.list(t.rel, at);
    if (!names) return names;
    // Mount points appear in their parent directory.
    const extra = this.mounts.filter((m) => m.path.startsWith(`${path === '/' ? '' : path}/`) && !m.path.slice(path.length + 1).includes('/'));
    return [...new Set([...names, ...extra.map((m) => m.path.slice(m.path.lastIndexOf('/') + 1))])].sort();
  }

  write(path: string, data: string, append: boolean, at: number): FsError | undefined {
    const t = this.target(path);
    if (t.readOnly) return 'EROFS';
    return t.fs.write(t.rel, data, append, at);
  }

  mkdir(path: string, at: number): FsError | undefined {
    const t = this.target(path);
    if (t.readOnly) return 'EROFS';
    return t.fs.mkdir(t.rel, at);
  }

  remove(path: string, at: number): FsError | undefined {
    const t = this.target(path);
    if (t.readOnly) return 'EROFS';
    return t.fs.remove(t.rel, at);
  }
}

// The filesystem as an AppArmor profile lets the container's processes use it:
// writes the profile denies fail with EACCES, whatever the mount.
class ConfinedFs implements FileSystem {
  constructor(
    private readonly fs: FileSystem,
    private readonly confinement: Confinement,
  ) {}
  stat(path: string, at: number): FileStat | undefined {
    return this.fs.stat(path, at);
  }
  read(path: string, at: number): string | undefined {
    return this.fs.read(path, at);
  }
  list(path: string, at: number): string[] | undefined {
    return this.fs.list(path, at);
  }
  write(path: string, data: string, append: boolean, at: number): FsError | undefined {
    return writeDenied(this.confinement, path) ? 'EACCES' : this.fs.write(path, data, append, at);
  }
  mkdir(path: string, at: number): FsError | undefined {
    return writeDenied(this.confinement, path) ? 'EACCES' : this.fs.mkdir(path, at);
  }
  remove(path: string, at: number): FsError | undefined {
    return writeDenied(this.confinement, path) ? 'EACCES' : this.fs.remove(path, at);
  }
}

// A container's own writable layer, made on its first start from the image's
// files and kept in the kubelet's memory for the life of the pod.
export function containerLayer(pod: P, rt: PodRuntime, c: Container): MemFsData {
  rt.layers ??= {};
  if (!rt.layers[c.name]) {
    const fs = MemFs.from({
      '/etc/hostname': `${pod.spec?.hostname ?? pod.metadata.name}\n`,
      '/etc/hosts': hostsFile(pod, rt.ip),
      '/etc/resolv.conf': resolvConf(pod),
      '/etc/passwd': 'root:x:0:0:root:/root:/bin/sh\n',
    });
    for (const d of ['/tmp', '/root', '/var', '/usr', '/bin', '/home', '/proc', '/dev', '/sys']) fs.mkdirs(d);
    for (const [path, content] of Object.entries(lookupImage(c.image ?? '').entry?.files ?? {})) {
      // Scripts (a #! line) are executable.
      fs.put(path, content.startsWith('page:') ? (PAGES[content.slice(5)] ?? '') : content, content.startsWith('#!') ? 0o755 : 0o644);
    }
    rt.layers[c.name] = fs.data;
  }
  return rt.layers[c.name];
}

// Where a writable volume's content is kept: in the pod's runtime for emptyDirs
// (gone with the pod), in the state for persistent volumes and host paths.
function volumeStore(api: ApiServer, pod: P, rt: PodRuntime, v: Volume): MemFsData | undefined {
  const keep = (all: Record<string, MemFsData>, key: string) => (all[key] ??= new MemFs().data);
  if (v.emptyDir) return keep((rt.emptyDirs ??= {}), v.name);
  const state = api.world.state;
  if (v.hostPath) return keep((state.volumeData ??= {}), `host:${rt.node}:${v.hostPath.path}`);
  if (v.persistentVolumeClaim) {
    const claim = api.peek(kind('PersistentVolumeClaim'), pod.metadata.namespace, v.persistentVolumeClaim.claimName);
    const pv = (claim?.spec as { volumeName?: string } | undefined)?.volumeName;
    // An unbound claim keeps the pod from starting, so this is only a fallback.
    return keep((state.volumeData ??= {}), pv ? `pv:${pv}` : `pvc:${pod.metadata.namespace}/${v.persistentVolumeClaim.claimName}`);
  }
  return undefined;
}

function podMounts(api: ApiServer, pod: P, rt: PodRuntime, mounts: VolumeMount[]): Mount[] {
  return mounts.map((m) => {
    const path = m.mountPath.replace(/\/$/, '') || '/';
    const v = (pod.spec?.volumes ?? []).find((x) => x.name === m.name);
    const data = v ? volumeStore(api, pod, rt, v) : undefined;
    if (data) {
      const fs = new MemFs(data);
      const fsGroup = v?.hostPath ? undefined : pod.spec?.securityContext?.fsGroup;
      const owned = fsGroup === undefined ? {} : { fsGroup };
      if (!m.subPath) return { path, emptyDir: fs, readOnly: m.readOnly === true, ...owned };
      fs.mkdirs(`/${m.subPath}`);
      return { path, emptyDir: new SubdirFs(fs, `/${m.subPath}`), readOnly: m.readOnly === true, ...owned };
    }
    return {
      path,
      files: () => {
        const files = volumeFiles(api, pod, m.name) ?? {};
        if (!m.subPath) return files;
        return m.subPath in files ? { '': files[m.subPath] } : {};
      },
      readOnly: true,
    };
  });
}

function envValue(api: ApiServer, pod: P, c: Container, e: EnvVar): string | undefined {
  if (e.value !== undefined) return e.value;
  const from = e.valueFrom;
  if (!from) return '';
  const ns = pod.metadata.namespace;
  if (from.fieldRef) return fieldRefValue(pod, from.fieldRef.fieldPath);
  if (from.configMapKeyRef) return (api.peek(kind('ConfigMap'), ns, from.configMapKeyRef.name ?? '')?.data as Record<string, string> | undefined)?.[from.configMapKeyRef.key];
  if (from.secretKeyRef) {
    const v = (api.peek(kind('Secret'), ns, from.secretKeyRef.name ?? '')?.data as Record<string, string> | undefined)?.[from.secretKeyRef.key];
    return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
  }
  if (from.resourceFieldRef) {
    const res = from.resourceFieldRef.resource;
    const [kindOf, name] = res.split('.');
    const q = (c.resources?.[kindOf as 'limits' | 'requests'] as Record<string, string> | undefined)?.[name];
    return q !== undefined ? String(q) : kindOf === 'limits' ? (name === 'cpu' ? '2' : '8182308864') : '0';
  }
  return '';
}

// Docker-link style variables for every service in the namespace (enableServiceLinks).
function serviceEnv(api: ApiServer, pod: P): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (svc: Service & KubeObject) => {
    const ip = svc.spec?.clusterIP;
    if (!ip || ip === 'None' || svc.spec?.type === 'ExternalName') return;
    const base = (svc.metadata.name ?? '').toUpperCase().replace(/-/g, '_');
    const ports = svc.spec?.ports ?? [];
    if (ports.length === 0) return;
    out[`${base}_SERVICE_HOST`] = ip;
    out[`${base}_SERVICE_PORT`] = String(ports[0].port);
    for (const p of ports) if (p.name) out[`${base}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, '_')}`] = String(p.port);
    const first = ports[0];
    out[`${base}_PORT`] = `${(first.protocol ?? 'TCP').toLowerCase()}://${ip}:${first.port}`;
    for (const p of ports) {
      const proto = p.protocol ?? 'TCP';
      const prefix = `${base}_PORT_${p.port}_${proto}`;
      out[prefix] = `${proto.toLowerCase()}://${ip}:${p.port}`;
      out[`${prefix}_PROTO`] = proto.toLowerCase();
      out[`${prefix}_PORT`] = String(p.port);
      out[`${prefix}_ADDR`] = ip;
    }
  };
  if (pod.spec?.enableServiceLinks !== false) for (const s of api.peekList(kind('Service'), { namespace: pod.metadata.namespace })) add(s as Service & KubeObject);
  const k8s = api.peek(kind('Service'), 'default', 'kubernetes');
  if (k8s) add(k8s as Service & KubeObject);
  return out;
}

// $(VAR) references expand to earlier variables; $$ escapes.
function expandRefs(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name: string | undefined) => (m === '$$' ? '$' : name !== undefined && name in env ? env[name] : m));
}

// As a container's environ lists them: PATH and HOSTNAME from the runtime
// first, then the kubelet's variables (a Go map: no order to keep), HOME last.
export function containerEnv(api: ApiServer, pod: P, c: Container, tty = false): Record<string, string> {
  const env: Record<string, string> = {
    PATH: DEFAULT_PATH,
    HOSTNAME: pod.spec?.hostname ?? pod.metadata.name ?? '',
    ...(tty ? { TERM: 'xterm' } : {}),
    ...serviceEnv(api, pod),
  };
  for (const src of c.envFrom ?? []) {
    const ns = pod.metadata.namespace;
    const prefix = src.prefix ?? '';
    if (src.configMapRef) {
      const data = (api.peek(kind('ConfigMap'), ns, src.configMapRef.name ?? '')?.data as Record<string, string> | undefined) ?? {};
      for (const [k, v] of Object.entries(data)) env[prefix + k] = v;
    }
    if (src.secretRef) {
      const data = (api.peek(kind('Secret'), ns, src.secretRef.name ?? '')?.data as Record<string, string> | undefined) ?? {};
      for (const [k, v] of Object.entries(data)) env[prefix + k] = Buffer.from(v, 'base64').toString('utf8');
    }
  }
  for (const e of c.env ?? []) {
    const v = envValue(api, pod, c, e);
    if (v !== undefined) env[e.name] = expandRefs(v, env);
  }
  return env;
}

// The user a container's processes run as (securityContext.runAsUser/runAsGroup).
// The name is the image's /etc/passwd entry for the uid, as the runtime finds it.
export function processUser(pod: P, c: Container): { user?: { uid: number; gid: number; name?: string; groups?: number[] } } {
  const uid = c.securityContext?.runAsUser ?? pod.spec?.securityContext?.runAsUser;
  const gid = c.securityContext?.runAsGroup ?? pod.spec?.securityContext?.runAsGroup ?? 0;
  if (uid === undefined) return {};
  const passwd = lookupImage(c.image ?? '').entry?.files?.['/etc/passwd'] ?? '';
  const name = passwd
    .split('\n')
    .map((l) => l.split(':'))
    .find((f) => f.length > 2 && Number(f[2]) === uid)?.[0];
  const sc = pod.spec?.securityContext;
  const groups = [...new Set([...(sc?.fsGroup !== undefined ? [sc.fsGroup] : []), ...(sc?.supplementalGroups ?? [])])].filter((g) => g !== gid);
  return { user: { uid, gid, ...(name === undefined ? {} : { name }), ...(groups.length ? { groups } : {}) } };
}

// Expands $(VAR) in command and args with the container's environment, as the kubelet does.
export function expandArgv(argv: string[], env: Record<string, string>): string[] {
  return argv.map((a) => expandRefs(a, env));
}

const isLoopback = (ip: string) => ip.startsWith('127.') || ip === '::1';

function httpAnswer(api: ApiServer, now: number, req: HttpRequest, from: string): HttpResult {
  const ctx = { api, now };
  const info = { clientIP: from, host: req.headers.Host ?? req.headers.host ?? req.host, method: req.method, headers: req.headers, scheme: req.scheme };
  const pod = podByIP(api, req.ip);
  if (pod) {
    const a = httpToPod(ctx, pod, req.port, req.path, info);
    return httpResult(a, { 'content-type': 'text/plain; charset=utf-8' });
  }
  const svc = api.peekList(kind('Service')).find((s) => (s as Service & KubeObject).spec?.clusterIP === req.ip) as (Service & KubeObject) | undefined;
  if (svc) {
    const sp = (svc.spec?.ports ?? []).find((p) => p.port === req.port);
    if (!sp) return { error: 'timeout' };
    const backends = serviceBackends(api, svc);
    if (backends.length === 0) return { error: 'refused' };
    const target = backends[Math.floor(now / 997) % backends.length];
    const port = targetPortOn(target, sp.targetPort, sp.port);
    if (port === undefined) return { error: 'refused' };
    const a = httpToPod(ctx, target, port, req.path, info);
    return httpResult(a);
  }
  return { error: 'timeout' };
}

// A pod's answer as the client's socket sees it.
export function httpFailure(a: { tls?: true }): HttpResult {
  return { error: a.tls ? 'tls' : 'refused' };
}

// A pod's answer as the client's socket sees it: the app's headers over the defaults.
export function httpResult(a: HttpAnswer, defaults: Record<string, string> = {}): HttpResult {
  if ('error' in a) return httpFailure(a);
  const headers = { ...defaults, ...a.headers };
  return { status: a.status, body: a.body, ...(Object.keys(headers).length > 0 ? { headers } : {}), ...(a.cert === undefined ? {} : { cert: a.cert }) };
}

function tcpAnswer(api: ApiServer, now: number, ip: string, port: number): TcpResult {
  const ctx = { api, now };
  const pod = podByIP(api, ip);
  if (pod) return tcpToPod(ctx, pod, port) ? 'open' : 'refused';
  const svc = api.peekList(kind('Service')).find((s) => (s as Service & KubeObject).spec?.clusterIP === ip) as (Service & KubeObject) | undefined;
  if (svc) {
    const sp = (svc.spec?.ports ?? []).find((p) => p.port === port);
    const backends = serviceBackends(api, svc);
    if (!sp || backends.length === 0) return 'refused';
    const target = backends[0];
    const tport = targetPortOn(target, sp.targetPort, sp.port);
    return tport !== undefined && tcpToPod(ctx, target, tport) ? 'open' : 'refused';
  }
  return 'timeout';
}

function containerFs(api: ApiServer, pod: P, c: Container, rt: PodRuntime): FileSystem {
  return new ContainerFs(new MemFs(containerLayer(pod, rt, c)), podMounts(api, pod, rt, c.volumeMounts ?? []));
}

export interface WorldOptions {
  // stdout is a terminal (kubectl exec -t).
  tty?: boolean;
}

export function containerWorld(api: ApiServer, pod: P, c: Container, rt: PodRuntime, opts: WorldOptions = {}): ShellWorld {
  const node = api.peek(kind('Node'), undefined, rt.node);
  const confinement = node ? appArmorConfinement(api.world.state, node, pod, c) : undefined;
  const own = containerFs(api, pod, c, rt);
  const fs = confinement?.denyWrite.length ? new ConfinedFs(own, confinement) : own;
  const image = lookupImage(c.image ?? '').entry;
  // A program the image also holds as a file (a script in `files:`) is gone once
  // that file is removed, as `rm /opt/zookeeper/bin/zookeeper-ready` does.
  const installed = (name: string) => Object.keys(image?.files ?? {}).filter((p) => p.slice(p.lastIndexOf('/') + 1) === name);
  const toolOf = (name: string, at: number) => {
    if (!image?.tools?.includes(name)) return undefined;
    const files = installed(name);
    if (files.length > 0 && !files.some((p) => fs.stat(p, at))) return undefined;
    return TOOLS[name];
  };
  const main = rt.containers.find((x) => x.name === c.name && !x.init) ?? rt.containers.find((x) => x.name === c.name);
  // An ephemeral container with a target lives in the target's process namespace.
  const target = (c as { targetContainerName?: string }).targetContainerName;
  const pids = (target && rt.containers.find((x) => x.name === target && !x.ephemeral)) || main;
  return {
    fs,
    ...(confinement && node ? { apparmorLabel: confinement.label, seccomp: seccompState(api.world.state, node, pod, c) } : {}),
    resolve: (name) => {
      if (name === `kubernetes.default.svc.${CLUSTER_DOMAIN}`) return ['10.96.0.1'];
      const suffix = `.svc.${CLUSTER_DOMAIN}`;
      if (!name.endsWith(suffix) && name !== 'localhost') return undefined;
      const short = name.endsWith(suffix) ? name.slice(0, -`.${CLUSTER_DOMAIN}`.length) : name;
      return resolveName(api, short, pod.metadata.namespace ?? 'default');
    },
    // CoreDNS answers PTR queries for service IPs (pods' are left out, as the tutorials show).
    reverse: (ip) => {
      const svc = api.peekList(kind('Service')).find((x) => (x as Service & KubeObject).spec?.clusterIP === ip);
      return svc ? `${svc.metadata.name}.${svc.metadata.namespace}.svc.${CLUSTER_DOMAIN}` : undefined;
    },
    // Loopback reaches the pod itself (its containers share the network namespace).
    http: (req, at) => httpAnswer(api, at, isLoopback(req.ip) && rt.ip ? { ...req, ip: rt.ip } : req, isLoopback(req.ip) ? '127.0.0.1' : (rt.ip ?? '')),
    tcp: (ip, port, at) => tcpAnswer(api, at, isLoopback(ip) && rt.ip ? rt.ip : ip, port),
    ping: (ip) => (podByIP(api, ip) || ip === rt.ip ? 0.07 : undefined),
    hasTool: (name, at) => toolOf(name, at) !== undefined,
    processes: (at) => mainProcesses(pids, processUser(pod, c).user?.uid ?? 0, at),
    // The kubelet looks at the pod when the signal lands (the program may end).
    signal: (pid, sig, at) => signalMain(pids, processUser(pod, c).user?.uid ?? 0, pid, sig, at, (due) => wakeAt(api, 'kubelet', `${pod.metadata.namespace}/${pod.metadata.name}`, due)),
    tool: (run, at) => {
      const tool = toolOf(run.argv[0], at);
      if (!tool) return { stdout: '', stderr: `${run.argv[0]}: not found\n`, exitCode: 127 };
      const state = api.world.state;
      return tool({
        api,
        pod,
        container: c,
        fs,
        run,
        now: at,
        mainArgv: main?.process?.spec.argv ?? main?.argv ?? [],
        startFiles: main?.startFiles ?? {},
        appData: (state.appData ??= {}),
        tty: opts.tty === true,
      });
    },
  };
}

// Version nginx reports for an image tag (its error pages' footer).
function nginxVersion(image: string): string {
  const tag = lookupImage(image).ref.tag;
  const m = /^(\d+\.\d+(?:\.\d+)?)/.exec(tag);
  return m ? m[1] : '1.27.3';
}

function nginxError(status: number, text: string, image: string): { status: number; body: string } {
  const title = `${status} ${text}`;
  return { status, body: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx/${nginxVersion(image)}</center>\r\n</body>\r\n</html>\r\n` };
}

// nginx's answer to plain HTTP on its `listen 443 ssl` port.
export function plainHttpToHttps(image: string): { status: number; body: string } {
  const why = 'The plain HTTP request was sent to HTTPS port';
  return { status: 400, body: `<html>\r\n<head><title>400 ${why}</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>${why}</center>\r\n<hr><center>nginx/${nginxVersion(image)}</center>\r\n</body>\r\n</html>\r\n` };
}

// One file of a running container, as its own processes read it.
export function readContainerFile(api: ApiServer, pod: P, c: Container, file: string, at: number): string | undefined {
  const rt = api.world.state.runtime[pod.metadata.uid ?? ''];
  return rt ? containerFs(api, pod, c, rt).read(file, at) : undefined;
}

// A web server answering from its document root in the container's files, as
// nginx does: index.html for directories, 403 for a directory without one.
export function serveStatic(api: ApiServer, pod: P, c: Container, root: string, path: string, at: number): { status: number; body: string } {
  const rt = api.world.state.runtime[pod.metadata.uid ?? ''];
  if (!rt) return nginxError(404, 'Not Found', c.image ?? '');
  const fs = containerFs(api, pod, c, rt);
  const file = `${root}${decodeURIComponent(path)}`.replace(/\/+$/, '') || '/';
  const st = fs.stat(file, at);
  if (!st) return nginxError(404, 'Not Found', c.image ?? '');
  if (st.type === 'file') return { status: 200, body: fs.read(file, at) ?? '' };
  const index = fs.read(`${file}/index.html`, at);
  if (index !== undefined) return { status: 200, body: index };
  return nginxError(403, 'Forbidden', c.image ?? '');
}
