import type { Container, EphemeralContainer, Pod, SecurityContext } from 'kubernetes-types/core/v1';
import type { Command, CommandContext } from '../command';
import type { KubeObject } from '../../api/types';
import type { ApiServer } from '../../api/server';
import { kind } from '../../api/registry';
import { CliError } from '../errors';
import { readManifests } from '../manifests';
import { attachContainer, printLog } from '../attach-session';
import { REFERENCE, parseEnvs } from './run';
import { statusOf } from './logs';
import { waitFor } from '../waiting';
import { clone } from '../../util/json';

// kubectl debug POD: an ephemeral container added to the running pod through
// pods/ephemeralcontainers (api/ephemeral.ts), or with --copy-to a copy of
// the pod with a debug container added (or one of its containers changed);
// with -i it waits for the container and attaches (attach-session.ts).
// Profiles set the container's securityContext; legacy, 1.32's default,
// sets nothing.

type P = Pod & KubeObject;

const FLAGS = [
  { name: 'arguments-only', kind: 'bool' as const },
  { name: 'attach', kind: 'bool' as const },
  { name: 'container', short: 'c', kind: 'string' as const },
  { name: 'copy-to', kind: 'string' as const },
  { name: 'custom', kind: 'string' as const },
  { name: 'env', kind: 'stringArray' as const },
  { name: 'filename', short: 'f', kind: 'stringArray' as const },
  { name: 'image', kind: 'string' as const },
  { name: 'image-pull-policy', kind: 'string' as const },
  { name: 'keep-annotations', kind: 'bool' as const },
  { name: 'keep-init-containers', kind: 'bool' as const, default: true },
  { name: 'keep-labels', kind: 'bool' as const },
  { name: 'keep-liveness', kind: 'bool' as const },
  { name: 'keep-readiness', kind: 'bool' as const },
  { name: 'keep-startup', kind: 'bool' as const },
  { name: 'profile', kind: 'string' as const, default: 'legacy' },
  { name: 'quiet', short: 'q', kind: 'bool' as const },
  { name: 'replace', kind: 'bool' as const },
  { name: 'same-node', kind: 'bool' as const },
  { name: 'set-image', kind: 'stringArray' as const },
  { name: 'share-processes', kind: 'bool' as const, default: true },
  { name: 'stdin', short: 'i', kind: 'bool' as const },
  { name: 'target', kind: 'string' as const },
  { name: 'tty', short: 't', kind: 'bool' as const },
];

// What each profile (profiles.go) gives the debug container; legacy nothing.
const PROFILES: Record<string, SecurityContext | undefined> = {
  legacy: undefined,
  general: { capabilities: { add: ['SYS_PTRACE'] } },
  baseline: undefined,
  netadmin: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } },
  restricted: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  sysadmin: { privileged: true },
};

interface Options {
  profile: string;
  image: string;
  container: string;
  copyTo: string;
  target: string;
  args: string[];
  argsOnly: boolean;
  env: { name: string; value: string }[];
  pullPolicy: string;
  stdin: boolean;
  tty: boolean;
  quiet: boolean;
  setImages: Map<string, string>;
}

// DebugOptions.Validate, in its order.
function validate(ctx: CommandContext, names: string[]): Options {
  const f = ctx.flags;
  const copyTo = f.str('copy-to');
  const setImages = new Map<string, string>();
  for (const item of f.list('set-image')) {
    const eq = item.indexOf('=');
    if (eq < 0) throw new CliError(`error: invalid set-image: ${item}`);
    setImages.set(item.slice(0, eq), item.slice(eq + 1));
  }
  if (!copyTo) {
    if (f.bool('replace')) throw new CliError('error: --replace may only be used with --copy-to.');
    if (f.bool('same-node')) throw new CliError('error: --same-node may only be used with --copy-to.');
    if (setImages.size > 0) throw new CliError('error: --set-image may only be used with --copy-to.');
    if (!f.str('image')) throw new CliError('error: you must specify --image when not using --copy-to.');
  }
  const image = f.str('image');
  if (image && !REFERENCE.test(image)) throw new CliError(`error: invalid image name "${image}": invalid reference format`);
  if (names.length === 0 && f.list('filename').length === 0) throw new CliError('error: NAME or filename is required for debug');
  const pullPolicy = f.str('image-pull-policy');
  if (!['', 'Always', 'IfNotPresent', 'Never'].includes(pullPolicy)) throw new CliError(`error: invalid image pull policy: ${pullPolicy}`);
  for (const [name, img] of setImages) {
    if (!REFERENCE.test(img)) throw new CliError(`error: invalid image name "${img}" for container "${name}": invalid reference format`);
  }
  const target = f.str('target');
  if (target) {
    if (copyTo) throw new CliError('error: --target is incompatible with --copy-to. Use --share-processes instead.');
    if (!f.bool('quiet')) ctx.io.out(`Targeting container "${target}". If you don't see processes from this container it may be because the container runtime doesn't support this feature.\n`);
  }
  if (f.bool('tty') && !f.bool('stdin')) throw new CliError('error: -i/--stdin is required for containers with -t/--tty=true');
  const profile = f.str('profile');
  if (!(profile in PROFILES)) throw new CliError(`error: unknown profile: ${profile}`);
  if (f.str('custom')) throw new CliError('error: --custom profiles are not simulated by kubemu');
  if (profile === 'legacy') {
    ctx.io.err('--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example "--profile=general".\n');
  }
  const dash = ctx.argsLenAtDash;
  return {
    profile,
    image,
    container: f.str('container'),
    copyTo,
    target,
    args: dash < 0 ? [] : ctx.args.slice(dash),
    argsOnly: f.bool('arguments-only'),
    env: parseEnvs(f.list('env')),
    pullPolicy,
    stdin: f.bool('stdin'),
    tty: f.bool('tty'),
    quiet: f.bool('quiet'),
    setImages,
  };
}

// computeDebugContainerName: -c, else debugger-xxxxx not yet in the pod.
function debugName(ctx: CommandContext, api: ApiServer, pod: P, o: Options): string {
  if (o.container) return o.container;
  const taken = new Set([...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].map((c) => c.name));
  let name = '';
  while (!name || taken.has(name)) name = `debugger-${api.world.rng.suffix(5)}`;
  api.dirty = true;
  if (!o.quiet) ctx.io.out(`Defaulting debug container name to ${name}.\n`);
  return name;
}

function withCommand<T extends Container | EphemeralContainer>(c: T, o: Options): T {
  if (o.args.length > 0) {
    if (o.argsOnly) c.args = o.args;
    else {
      c.command = o.args;
      delete c.args;
    }
  }
  if (o.env.length > 0) c.env = o.env;
  if (o.image) c.image = o.image;
  if (o.pullPolicy) c.imagePullPolicy = o.pullPolicy;
  c.stdin = o.stdin;
  c.tty = o.tty;
  const security = PROFILES[o.profile];
  if (security) c.securityContext = clone(security);
  return c;
}

function byEphemeralContainer(ctx: CommandContext, api: ApiServer, pod: P, o: Options): string {
  const name = debugName(ctx, api, pod, o);
  const ec = withCommand<EphemeralContainer>({ name, terminationMessagePolicy: 'File', ...(o.target ? { targetContainerName: o.target } : {}) }, o);
  const next = clone(pod);
  next.spec = { ...next.spec!, ephemeralContainers: [...(pod.spec?.ephemeralContainers ?? []), ec] };
  api.update(next, { subresource: 'ephemeralcontainers' });
  return name;
}

// generatePodCopyWithDebugContainer. The labels come off the copy (so no
// controller or Service picks it up) unless --keep-labels; the legacy profile
// ignores the --keep-* flags, dropping the labels and keeping annotations,
// probes and init containers; the others keep only what the flags name and
// share the process namespace.
function byCopy(ctx: CommandContext, api: ApiServer, pod: P, o: Options): string {
  const f = ctx.flags;
  const legacy = o.profile === 'legacy';
  const spec = clone(pod.spec!);
  delete spec.ephemeralContainers;
  if (!f.bool('same-node')) delete spec.nodeName;
  if (f.has('share-processes')) spec.shareProcessNamespace = f.bool('share-processes');
  if (!legacy) {
    spec.shareProcessNamespace = true;
    if (!f.bool('keep-init-containers')) delete spec.initContainers;
  }
  for (const c of spec.containers) {
    const img = o.setImages.get(c.name) ?? o.setImages.get('*');
    if (img) c.image = img;
    if (legacy) continue;
    if (!f.bool('keep-liveness')) delete c.livenessProbe;
    if (!f.bool('keep-readiness')) delete c.readinessProbe;
    if (!f.bool('keep-startup')) delete c.startupProbe;
  }
  const keepLabels = !legacy && f.bool('keep-labels');
  const keepAnnotations = legacy || f.bool('keep-annotations');
  let name = o.container;
  let c = spec.containers.find((x) => x.name === name);
  if (!c) {
    if (!o.image) {
      if (o.setImages.size > 0) name = '';
      else throw new CliError('error: you must specify image when creating new container');
    } else {
      name = debugName(ctx, api, { ...pod, spec } as P, o);
      c = { name, terminationMessagePolicy: 'File' };
      spec.containers.push(c);
    }
  }
  if (c) withCommand(c, o);
  const copy: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: o.copyTo,
      namespace: pod.metadata.namespace,
      ...(keepLabels && pod.metadata.labels ? { labels: pod.metadata.labels } : {}),
      ...(keepAnnotations && pod.metadata.annotations ? { annotations: pod.metadata.annotations } : {}),
    },
    spec,
  };
  api.create(copy);
  if (f.bool('replace')) api.delete(kind('Pod'), pod.metadata.namespace, pod.metadata.name ?? '', { gracePeriodSeconds: 0 });
  return name;
}

// waitForContainer: until the debug container runs or has ended.
function waitForContainer(ctx: CommandContext, namespace: string, pod: string, container: string): P {
  const found = waitFor(
    ctx.session(),
    (api) => {
      const p = api.peek(kind('Pod'), namespace, pod) as P | undefined;
      if (!p) throw new CliError(`Error from server (NotFound): pods "${pod}" not found`);
      const st = statusOf(p, container)?.state;
      return st?.running || st?.terminated ? p : undefined;
    },
    { timeoutMs: 0 },
  );
  if (!found) throw new CliError('error: timed out waiting for the condition');
  return found;
}

function targets(ctx: CommandContext, names: string[]): string[] {
  const fromFiles = readManifests(ctx.flags.list('filename'), false, () => ctx.readStdin()).map((m) => `${m.object.kind ?? ''}/${m.object.metadata?.name ?? ''}`);
  return [...names, ...fromFiles].map((n) => {
    const slash = n.indexOf('/');
    if (slash < 0) return n;
    const type = n.slice(0, slash).toLowerCase();
    if (!['pod', 'pods', 'po'].includes(type)) throw new CliError(`error: kubemu debugs pods only, not "${n.slice(0, slash)}"`);
    return n.slice(slash + 1);
  });
}

export const command: Command = {
  flags: FLAGS,
  run(ctx: CommandContext) {
    const dash = ctx.argsLenAtDash;
    const names = dash < 0 ? ctx.args : ctx.args.slice(0, dash);
    const o = validate(ctx, names);
    const attach = ctx.flags.has('attach') ? ctx.flags.bool('attach') : o.stdin;
    const namespace = ctx.namespace();
    let code = 0;
    for (const podName of targets(ctx, names)) {
      const { pod, container } = ctx.session().write((api) => {
        const p = api.get(kind('Pod'), namespace, podName) as P;
        if (o.copyTo) return { pod: o.copyTo, container: byCopy(ctx, api, p, o) };
        return { pod: podName, container: byEphemeralContainer(ctx, api, p, o) };
      });
      if (!attach || !container) continue;
      const p = waitForContainer(ctx, namespace, pod, container);
      // handleAttachPod: an ended container falls back to its log.
      if (statusOf(p, container)?.state?.terminated) {
        printLog(ctx, p, container);
        continue;
      }
      code = attachContainer(ctx, { namespace, pod, container, stdin: o.stdin, tty: o.tty, quiet: o.quiet, followMs: 60000 });
    }
    return code;
  },
};
