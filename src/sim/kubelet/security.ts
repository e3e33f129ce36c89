import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AppArmorProfile as AppArmorField, Container, Pod, SeccompProfile } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../api/types';
import type { ClusterState } from '../../store/store';
import { lookupImage } from '../images';

// The node-level side of AppArmor and seccomp: what a simulated node's host
// holds (the AppArmor profiles loaded into its kernel, the host directories
// bind-mounted into a kind node, its kubelet's --seccomp-default), and what the
// container runtime does with a container's profiles: refuse to create it,
// fail to start it, or run it confined. No kernel is involved; a profile is
// data, and only the writes a profile denies are enforced (by the container's
// simulated filesystem, see container-world.ts).

type P = Pod & KubeObject;

export interface LoadedProfile {
  mode: 'enforce' | 'complain';
  // Path globs (AppArmor syntax) the profile denies writes to.
  denyWrite: string[];
}

export interface NodeMount {
  // Absolute path on the host (the user's machine: kind's extraMounts).
  hostPath: string;
  containerPath: string;
}

export interface NodeHost {
  // The kernel's loaded AppArmor profiles by name; absent = the node's
  // profiles as it booted (DEFAULT_PROFILES and its runtime's default).
  apparmor?: Record<string, LoadedProfile>;
  mounts?: NodeMount[];
  // kubelet --seccomp-default: RuntimeDefault for containers without a profile.
  seccompDefault?: boolean;
  // Kernel lines of the node's syslog (seccomp audit records), oldest first.
  syslog?: string[];
}

// The profiles a freshly booted node has, after the AppArmor tutorial's
// sample node (`cat /sys/kernel/security/apparmor/profiles`).
const DEFAULT_PROFILES: Record<string, LoadedProfile> = {
  'apparmor-test-deny-write': { mode: 'enforce', denyWrite: ['/**'] },
  'apparmor-test-audit-write': { mode: 'enforce', denyWrite: [] },
  'docker-default': { mode: 'enforce', denyWrite: [] },
  'k8s-nginx': { mode: 'enforce', denyWrite: [] },
};

export const SECCOMP_ROOT = '/var/lib/kubelet/seccomp';
const MAX_PROFILE_BYTES = 1 << 20;
const SYSLOG_KEEP = 2000;

export type Runtime = 'containerd' | 'docker';

export function nodeRuntime(node: KubeObject): Runtime {
  const v = (node.status as { nodeInfo?: { containerRuntimeVersion?: string } } | undefined)?.nodeInfo?.containerRuntimeVersion ?? '';
  return v.startsWith('containerd://') ? 'containerd' : 'docker';
}

// The AppArmor profile a runtime applies when a container asks for none or for RuntimeDefault.
function runtimeDefaultProfile(runtime: Runtime): string {
  return runtime === 'containerd' ? 'cri-containerd.apparmor.d' : 'docker-default';
}

export function nodeHost(state: ClusterState, node: string): NodeHost {
  state.nodeHosts ??= {};
  return (state.nodeHosts[node] ??= {});
}

export function loadedProfiles(state: ClusterState, node: KubeObject): Record<string, LoadedProfile> {
  const host = state.nodeHosts?.[node.metadata.name ?? ''];
  if (host?.apparmor) return host.apparmor;
  return { ...DEFAULT_PROFILES, [runtimeDefaultProfile(nodeRuntime(node))]: { mode: 'enforce', denyWrite: [] } };
}

// --- AppArmor ------------------------------------------------------------------

// The container's profile: its own field, else the pod's (the API server has
// already turned the deprecated annotations into fields).
function appArmorField(pod: P, c: Container): AppArmorField | undefined {
  return c.securityContext?.appArmorProfile ?? pod.spec?.securityContext?.appArmorProfile;
}

export interface Confinement {
  // What /proc/<pid>/attr/current reads: `name (enforce)` or `unconfined`.
  label: string;
  denyWrite: string[];
}

export function appArmorConfinement(state: ClusterState, node: KubeObject, pod: P, c: Container): Confinement {
  const field = appArmorField(pod, c);
  const runtime = nodeRuntime(node);
  let name: string | undefined;
  if (field?.type === 'Localhost') name = field.localhostProfile;
  else if (field?.type === 'RuntimeDefault' || (!field && c.securityContext?.privileged !== true)) name = runtimeDefaultProfile(runtime);
  const profile = name ? loadedProfiles(state, node)[name] : undefined;
  if (!name || !profile) return { label: 'unconfined', denyWrite: [] };
  return { label: `${name} (${profile.mode})`, denyWrite: profile.mode === 'enforce' ? profile.denyWrite : [] };
}

// AppArmor globs: `**` crosses directories, `*` does not.
function globRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (ch === '*') re += '[^/]*';
    else re += ch.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function writeDenied(confinement: Confinement, filePath: string): boolean {
  return confinement.denyWrite.some((g) => globRegExp(g).test(filePath));
}

// The profiles of an `apparmor_parser` input: `profile NAME [flags=(...)] {`
// (or a path as the name) with its `deny PATH w` rules; or apparmor_parser's error.
export function parseAppArmorProfiles(text: string): Record<string, LoadedProfile> | string {
  const out: Record<string, LoadedProfile> = {};
  const lines = text.split('\n').map((l) => l.replace(/#(?!include).*$/, '').trim());
  let current: { name: string; profile: LoadedProfile } | undefined;
  let depth = 0;
  for (const [i, line] of lines.entries()) {
    if (!line || line.startsWith('#include')) continue;
    const head = /^(?:profile\s+(\S+)|(\/\S*))(?:\s+\S+)?(?:\s+flags=\(([^)]*)\))?\s*\{$/.exec(line);
    if (head && depth === 0) {
      const flags = (head[3] ?? '').split(/[\s,]+/);
      current = { name: head[1] ?? head[2], profile: { mode: flags.includes('complain') ? 'complain' : 'enforce', denyWrite: [] } };
      depth = 1;
      continue;
    }
    if (!current) return `AppArmor parser error at line ${i + 1}: syntax error, unexpected TOK_ID, expecting $end`;
    if (line.endsWith('{')) depth++;
    if (line === '}') {
      depth--;
      if (depth === 0) {
        out[current.name] = current.profile;
        current = undefined;
      }
      continue;
    }
    const deny = /^(?:audit\s+)?deny\s+(\S+)\s+([rwaklmix]+)\s*,$/.exec(line);
    if (deny && /[wa]/.test(deny[2])) current.profile.denyWrite.push(deny[1]);
  }
  if (current) return `AppArmor parser error at line ${lines.length}: syntax error, unexpected $end, expecting '}'`;
  return out;
}

// --- seccomp -----------------------------------------------------------------------

function seccompField(pod: P, c: Container): SeccompProfile | undefined {
  return c.securityContext?.seccompProfile ?? pod.spec?.securityContext?.seccompProfile;
}

// A node path seen through the node's bind mounts: the deepest mount holding
// it. `..` is resolved in the node first, so no path leaves its mount.
function hostPathOf(host: NodeHost | undefined, nodePathAsGiven: string): string | undefined {
  const nodePath = path.posix.resolve('/', nodePathAsGiven);
  let best: NodeMount | undefined;
  for (const m of host?.mounts ?? []) {
    const cp = m.containerPath.replace(/\/+$/, '');
    if ((nodePath === cp || nodePath.startsWith(`${cp}/`)) && (!best || cp.length > best.containerPath.length)) best = { ...m, containerPath: cp };
  }
  if (!best) return undefined;
  const file = best.hostPath + nodePath.slice(best.containerPath.length);
  // A symlink in the mounted directory resolves inside the node, never to the
  // rest of the host.
  try {
    const root = fs.realpathSync(best.hostPath);
    const real = fs.realpathSync(file);
    return real === root || real.startsWith(`${root}/`) ? file : undefined;
  } catch {
    return file;
  }
}

export function nodeHostPath(state: ClusterState, node: string, nodePath: string): string | undefined {
  return hostPathOf(state.nodeHosts?.[node], nodePath);
}

// The node's file, read from the host directory mounted there (only a mount
// the cluster's config named: localhostProfile is a descending relative path).
function readNodeFile(host: NodeHost | undefined, nodePath: string): string | undefined {
  const file = hostPathOf(host, nodePath);
  if (!file) return undefined;
  try {
    const st = fs.statSync(file);
    if (!st.isFile() || st.size > MAX_PROFILE_BYTES) return undefined;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

interface SeccompJson {
  defaultAction?: string;
  syscalls?: { names?: string[]; name?: string; action?: string }[];
}

// The syscalls an image's program makes while it runs; a filter must allow
// them all. http-echo's list is the tutorial's fine-grained profile.
const HTTP_ECHO_SYSCALLS = [
  'accept4', 'epoll_wait', 'pselect6', 'futex', 'madvise', 'epoll_ctl', 'getsockname', 'setsockopt', 'vfork', 'mmap', 'read', 'write', 'close', 'arch_prctl',
  'sched_getaffinity', 'munmap', 'brk', 'rt_sigaction', 'rt_sigprocmask', 'sigaltstack', 'gettid', 'clone', 'bind', 'socket', 'openat', 'readlinkat', 'exit_group',
  'epoll_create1', 'listen', 'rt_sigreturn', 'sched_yield', 'clock_gettime', 'connect', 'dup2', 'epoll_pwait', 'execve', 'exit', 'fcntl', 'getpid', 'getuid', 'ioctl',
  'mprotect', 'nanosleep', 'open', 'poll', 'recvfrom', 'sendto', 'set_tid_address', 'setitimer', 'writev', 'fstatfs', 'getdents64', 'pipe2', 'getrlimit',
];
// Any other program: the least a dynamically linked process needs to start.
const BASE_SYSCALLS = ['execve', 'brk', 'mmap', 'mprotect', 'munmap', 'arch_prctl', 'openat', 'read', 'write', 'close', 'rt_sigaction', 'rt_sigprocmask', 'exit_group'];

function requiredSyscalls(image: string): string[] {
  return lookupImage(image).ref.repository.endsWith('hashicorp/http-echo') ? HTTP_ECHO_SYSCALLS : BASE_SYSCALLS;
}

// What the runtime makes of a container's security profiles when it creates
// and starts it: a create error (CreateContainerError, retried), a start error
// (the process never runs), or a running container and whether its syscalls
// are logged.
export interface SecurityVerdict {
  createError?: string;
  startError?: string;
  auditLog?: boolean;
}

export function securityVerdict(state: ClusterState, node: KubeObject, pod: P, c: Container): SecurityVerdict {
  const runtime = nodeRuntime(node);
  const host = state.nodeHosts?.[node.metadata.name ?? ''];
  const aa = appArmorField(pod, c);
  if (aa?.type === 'Localhost' && aa.localhostProfile && !loadedProfiles(state, node)[aa.localhostProfile]) {
    if (runtime === 'containerd') return { createError: `failed to get container spec opts: failed to generate apparmor spec opts: apparmor profile not found ${aa.localhostProfile}` };
    return { startError: 'error during container init: unable to apply apparmor profile: apparmor failed to apply profile: write /proc/self/attr/apparmor/exec: no such file or directory' };
  }
  if (c.securityContext?.privileged === true) return {};
  const sc = seccompField(pod, c) ?? (host?.seccompDefault ? { type: 'RuntimeDefault' } : undefined);
  if (sc?.type !== 'Localhost' || !sc.localhostProfile) return {};
  const nodePath = path.posix.join(SECCOMP_ROOT, sc.localhostProfile);
  const text = readNodeFile(host, nodePath);
  if (text === undefined) {
    return runtime === 'containerd'
      ? { createError: `failed to create containerd container: cannot load seccomp profile "${nodePath}": open ${nodePath}: no such file or directory` }
      : // cri-dockerd reads the file itself while it builds Docker's security options.
        { createError: `failed to generate security options for container "${c.name}": failed to generate seccomp security options for container: cannot load seccomp profile "${nodePath}": open ${nodePath}: no such file or directory` };
  }
  let profile: SeccompJson;
  try {
    profile = JSON.parse(text) as SeccompJson;
  } catch (e) {
    return { createError: `failed to create containerd container: decoding seccomp profile failed: ${(e as Error).message}` };
  }
  const action = profile.defaultAction ?? '';
  if (action === 'SCMP_ACT_ALLOW') return {};
  if (action === 'SCMP_ACT_LOG') return { auditLog: true };
  const allowed = new Set<string>();
  for (const rule of profile.syscalls ?? []) {
    if (rule.action === 'SCMP_ACT_ALLOW' || rule.action === 'SCMP_ACT_LOG') for (const n of [...(rule.names ?? []), ...(rule.name ? [rule.name] : [])]) allowed.add(n);
  }
  if (requiredSyscalls(c.image ?? '').every((n) => allowed.has(n))) return {};
  // runc loads the filter before it closes its own descriptors and execs the
  // program; with those calls refused, the container never starts.
  return { startError: 'error during container init: close exec fds: open /proc/self/fd: operation not permitted' };
}

// --- the node's syslog -------------------------------------------------------------

// Syscall numbers (x86_64) of http-echo's calls, as the audit records name them.
const SYSCALL_NUMBERS: Record<string, number> = { getsockname: 51, setsockopt: 54, futex: 202, epoll_pwait: 281, accept4: 288, read: 0, write: 1, epoll_wait: 232, close: 3, sendto: 44 };
const REQUEST_SYSCALLS = ['getsockname', 'setsockopt', 'futex', 'accept4', 'read', 'write', 'futex', 'close'];

// Kernel audit records (type=1326, SECCOMP) for one request served by a
// process under a SCMP_ACT_LOG profile: what `tail -f /var/log/syslog` shows.
export function auditRequest(state: ClusterState, node: string, comm: string, exe: string, at: number, pid: number): void {
  const host = nodeHost(state, node);
  const lines = (host.syslog ??= []);
  const d = new Date(at);
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const stamp = `${month} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)}`;
  const secs = (at / 1000).toFixed(3);
  for (const name of REQUEST_SYSCALLS) {
    const serial = lines.length + 14536;
    const uptime = ((at % 1_000_000_000) / 1000).toFixed(6);
    lines.push(
      `${stamp} ${node} kernel: [${uptime.padStart(12, ' ')}] audit: type=1326 audit(${secs}:${serial}): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=${pid} comm="${comm}" exe="${exe}" sig=0 arch=c000003e syscall=${SYSCALL_NUMBERS[name]} compat=0 ip=0x46fdba code=0x7ffc0000`,
    );
  }
  if (lines.length > SYSLOG_KEEP) lines.splice(0, lines.length - SYSLOG_KEEP);
}

// A request served by a container: its syscalls go to the node's syslog when
// its seccomp profile logs them.
export function auditServed(state: ClusterState, pod: P, container: string, at: number): void {
  const rt = state.runtime[pod.metadata.uid ?? ''];
  const c = rt?.containers.find((x) => x.name === container && !x.init);
  if (!rt || !c?.seccompLog) return;
  const spec = pod.spec?.containers.find((x) => x.name === container);
  const comm = lookupImage(spec?.image ?? '').ref.repository.split('/').pop() ?? container;
  // The process's host pid: fixed for the container's life.
  const pid = 20000 + (parseInt((c.containerID ?? '').slice(-4), 16) || 0) % 10000;
  auditRequest(state, rt.node, comm, `/${comm}`, at, pid);
}

// The container's processes' seccomp state: a filter unless Unconfined (or
// privileged, or no profile on a node without --seccomp-default).
export function seccompState(state: ClusterState, node: KubeObject, pod: P, c: Container): { filtered: boolean; noNewPrivs: boolean } {
  const privileged = c.securityContext?.privileged === true;
  const sc = seccompField(pod, c);
  const seccompDefault = state.nodeHosts?.[node.metadata.name ?? '']?.seccompDefault === true;
  const filtered = !privileged && (sc ? sc.type !== 'Unconfined' : seccompDefault);
  return { filtered, noNewPrivs: !privileged && c.securityContext?.allowPrivilegeEscalation === false };
}
