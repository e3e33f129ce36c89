import * as fs from 'node:fs';
import type { Command, CommandContext } from '../command';
import type { KubeObject } from '../../api/types';
import type { FlagDef } from '../flags';
import { StatusError } from '../../api/errors';
import { CliError } from '../errors';
import { DRY_RUN_FLAG, OUTPUT_FLAGS, dryRunSuffix, parseDryRun, parseFormat } from '../output';
import type { DryRun, Format } from '../output';
import { klogWarning } from '../klog';
import { waitFor } from '../waiting';
import { kindByApiVersion } from '../../api/kinds';
import { applyMergePatch, applyStrategicPatch } from '../../api/merge/strategic';
import { JsonPatchError, applyJsonPatch, decodeJsonPatch, goJsonKind } from '../../api/jsonpatch';
import { isObject } from '../../util/json';
import type { Json, JsonObject } from '../../util/json';
import { logFile } from '../../sim/kubelet/logs';
import { endAttachedProgram } from '../../sim/kubelet/run';
import { interactiveSession } from '../container-session';
import { cascadePolicy } from '../cascade';
import { wakeAt } from '../../reconciler/reconciler';
import { goDecodeError } from './create/go-structs';
import { exitOnPrinted, printTyped, requireFlags, sendGenerated, usageError, withLastAppliedTyped } from './create/common';
import { envVarNameErrors } from './create/sources';
import { goAtoi } from './create/service';

// kubectl run NAME --image=image [--env=K=V] [--port=port] [--labels=k=v,...]
//   [--restart=Always|OnFailure|Never] [--command] [--expose] [--overrides=json]
//   [-i] [-t] [--attach] [--rm] [-- COMMAND/ARGS...] (pkg/cmd/run, generate/versioned).
//
// The pod (and with --expose its service) is built as kubectl's run-pod/v1 and
// service/v2 generators build them. With -i/--attach the command waits for the pod,
// then shows the container's output (from its log, as the simulated kubelet writes
// it) until the container ends, returns its exit code for --restart=Never/OnFailure,
// and with --rm deletes what it created. Local stdin is sent to the container (a
// terminal line by line, as kubectl exec -it does).

const RUN_FLAGS: FlagDef[] = [
  ...OUTPUT_FLAGS,
  DRY_RUN_FLAG,
  { name: 'annotations', kind: 'stringArray' },
  { name: 'attach', kind: 'bool' },
  { name: 'cascade', kind: 'string', default: 'background', noOptDefVal: 'background' },
  { name: 'command', kind: 'bool' },
  { name: 'env', kind: 'stringArray' },
  { name: 'expose', kind: 'bool' },
  { name: 'field-manager', kind: 'string', default: 'kubectl-run' },
  { name: 'filename', short: 'f', kind: 'stringSlice' },
  { name: 'force', kind: 'bool' },
  { name: 'grace-period', kind: 'int', default: -1 },
  { name: 'image', kind: 'string' },
  { name: 'image-pull-policy', kind: 'string' },
  { name: 'kustomize', short: 'k', kind: 'string' },
  { name: 'labels', short: 'l', kind: 'string' },
  { name: 'leave-stdin-open', kind: 'bool' },
  { name: 'override-type', kind: 'string', default: 'merge' },
  { name: 'overrides', kind: 'string' },
  { name: 'pod-running-timeout', kind: 'duration', default: 60000 },
  { name: 'port', kind: 'string' },
  { name: 'privileged', kind: 'bool' },
  { name: 'quiet', short: 'q', kind: 'bool' },
  { name: 'record', kind: 'bool', deprecated: '--record will be removed in the future' },
  { name: 'recursive', short: 'R', kind: 'bool' },
  { name: 'restart', kind: 'string', default: 'Always' },
  { name: 'rm', kind: 'bool' },
  { name: 'save-config', kind: 'bool' },
  { name: 'stdin', short: 'i', kind: 'bool' },
  { name: 'timeout', kind: 'duration' },
  { name: 'tty', short: 't', kind: 'bool' },
  { name: 'wait', kind: 'bool' },
];

// github.com/distribution/reference's ReferenceRegexp: [domain[:port]/]path[:tag][@digest].
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[(?:[a-fA-F0-9:]+)\\])`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
export const REFERENCE = new RegExp(
  `^(?:${HOST}(?::[0-9]+)?/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::[\\w][\\w.-]{0,127})?` +
    '(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,})?$',
);

// generate.ParseLabels: `k=v,k2=v2`.
function parseLabels(spec: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const item of spec.split(',')) {
    const kv = item.split('=');
    if (kv.length !== 2) throw new CliError(`error: unexpected label spec: ${item}`);
    if (kv[0] === '') throw new CliError('error: unexpected empty label key');
    labels[kv[0]] = kv[1];
  }
  return labels;
}

// cmdutil.ParsePairs for --annotations: every argument `key=value`.
function parseAnnotations(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const invalid: string[] = [];
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq > 0) out[a.slice(0, eq)] = a.slice(eq + 1);
    else invalid.push(a);
  }
  if (invalid.length > 0) throw new CliError(`error: invalid annotations format: ${invalid.join(', ')}`);
  return out;
}

// parseEnvs: `NAME=value`, NAME a valid environment variable name.
export function parseEnvs(args: readonly string[]): { name: string; value: string }[] {
  return args.map((env) => {
    const eq = env.indexOf('=');
    const name = eq < 0 ? '' : env.slice(0, eq);
    if (eq < 0 || name === '' || envVarNameErrors(name).length > 0) throw new CliError(`error: invalid env: ${env}`);
    return { name, value: env.slice(eq + 1) };
  });
}

function atoi(text: string): number {
  const n = goAtoi(text);
  if (n === undefined) {
    const why = /^[+-]?\d+$/.test(text) ? 'value out of range' : 'invalid syntax';
    throw new CliError(`error: strconv.Atoi: parsing ${JSON.stringify(text)}: ${why}`);
  }
  return n;
}

// The run-pod/v1 generator (BasicPod).
function buildPod(ctx: CommandContext, name: string, args: string[]): KubeObject {
  const flags = ctx.flags;
  const env = parseEnvs(flags.list('env'));
  const annotations = parseAnnotations(flags.list('annotations'));
  const labels = flags.str('labels') ? parseLabels(flags.str('labels')) : { run: name };
  const stdin = flags.bool('stdin');
  const container: Record<string, unknown> = {
    name,
    image: flags.str('image'),
    stdin,
    stdinOnce: !flags.bool('leave-stdin-open') && stdin,
    tty: flags.bool('tty'),
    securityContext: flags.bool('privileged') ? { privileged: true } : undefined,
  };
  if (args.length > 0) container[flags.bool('command') ? 'command' : 'args'] = args;
  if (env.length > 0) container.env = env;
  if (flags.str('image-pull-policy')) container.imagePullPolicy = flags.str('image-pull-policy');
  if (flags.str('port')) container.ports = [{ containerPort: atoi(flags.str('port')) }];
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name, labels, annotations },
    spec: { containers: [container], dnsPolicy: 'ClusterFirst', restartPolicy: flags.str('restart') || 'Always' },
  };
}

// The service/v2 generator as `run --expose` drives it: the pod's port, selected by
// the pod's labels.
function buildService(ctx: CommandContext, name: string): KubeObject {
  const labelSpec = ctx.flags.str('labels');
  const selector = parseLabels(labelSpec || `run=${name}`);
  const labels = labelSpec ? parseLabels(labelSpec) : undefined;
  const portSpecs = ctx.flags.str('port').split(',');
  const ports = portSpecs.map((p, i) => {
    const port = atoi(p);
    return { name: portSpecs.length > 1 ? `port-${i + 1}` : '', protocol: 'TCP', port, targetPort: port };
  });
  return { kind: 'Service', apiVersion: 'v1', metadata: { name, labels }, spec: { ports, selector } };
}

// cmdutil.Overrider: --overrides applied to the generated pod as a merge, strategic
// or JSON patch, and the result decoded back into a Pod.
function applyOverrides(ctx: CommandContext, pod: KubeObject): KubeObject {
  const overrides = ctx.flags.str('overrides');
  if (overrides === '') return pod;
  const type = ctx.flags.str('override-type') || 'merge';
  if (!['json', 'merge', 'strategic'].includes(type)) throw new CliError(`error: invalid override type: ${type}`);
  let patch: Json;
  try {
    patch = JSON.parse(overrides) as Json;
  } catch {
    if (type === 'merge') throw new CliError('error: Invalid JSON Patch');
    if (type === 'strategic') throw new CliError('error: invalid JSON document');
    throw new CliError('error: invalid character in JSON patch');
  }
  const doc = JSON.parse(JSON.stringify(pod)) as JsonObject;
  let out: Json;
  if (type === 'merge') out = applyMergePatch(doc, patch);
  else if (type === 'json') {
    try {
      out = applyJsonPatch(doc, decodeJsonPatch(patch, 'jsonpatch.Patch', 'jsonpatch.Operation'));
    } catch (e) {
      if (e instanceof JsonPatchError) throw new CliError(`error: ${e.message}`);
      throw e;
    }
  }
  else if (isObject(patch)) out = applyStrategicPatch(doc, patch, 'V1Pod');
  else throw new CliError('error: invalid JSON document');
  if (!isObject(out)) {
    throw new CliError(
      `error: couldn't get version/kind; json parse error: json: cannot unmarshal ${goJsonKind(out)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
    );
  }
  // The universal decoder reads apiVersion and kind first, into an anonymous struct.
  for (const field of ['kind', 'apiVersion']) {
    const v = out[field];
    if (v !== undefined && v !== null && typeof v !== 'string') {
      throw new CliError(
        `error: couldn't get version/kind; json parse error: json: cannot unmarshal ${goJsonKind(v)} into Go struct field .${field} of type string`,
      );
    }
  }
  const decodeError = goDecodeError(out, 'core.Pod', 'Pod');
  if (decodeError) throw new CliError(`error: ${decodeError}`);
  return out as unknown as KubeObject;
}

function restartPolicy(ctx: CommandContext): string {
  const restart = ctx.flags.str('restart');
  if (restart === '') return ctx.flags.bool('stdin') ? 'OnFailure' : 'Always';
  if (!['Always', 'OnFailure', 'Never'].includes(restart)) throw usageError(ctx, `invalid restart policy: ${restart}`);
  return restart;
}

interface RunState {
  ctx: CommandContext;
  dryRun: DryRun;
  format: Format;
  namespace: string;
}

// createGeneratedObject: sent to the cluster, or with --dry-run=client given the
// namespace of -n.
function createObject(s: RunState, obj: KubeObject): KubeObject {
  if (s.dryRun === 'client') {
    const ns = s.ctx.flags.str('namespace');
    return ns ? { ...obj, metadata: { ...obj.metadata, namespace: ns } } : obj;
  }
  const withConfig = s.ctx.flags.bool('save-config') ? withLastAppliedTyped(obj) : obj;
  return sendGenerated(s.ctx, withConfig, s.dryRun);
}

type PodView = {
  metadata: { name?: string; namespace?: string; uid?: string };
  spec?: { containers?: { name: string }[] };
  status?: {
    phase?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: { restartCount?: number; state?: { running?: unknown; terminated?: { exitCode?: number; reason?: string; message?: string } } }[];
  };
};

const TIMEOUT = 'error: timed out waiting for the condition';

// Waits until `cond` holds for the pod; a deleted pod is `pods "" not found`.
function waitPod(s: RunState, name: string, timeoutMs: number, cond: (pod: PodView) => boolean): PodView {
  const info = kindByApiVersion('v1', 'Pod')!;
  const pod = waitFor(
    s.ctx.session(),
    (api) => {
      const p = api.tryGet(info, s.namespace, name) as PodView | undefined;
      if (!p) throw new StatusError(404, 'NotFound', 'pods "" not found');
      return cond(p) ? p : undefined;
    },
    { timeoutMs },
  );
  if (!pod) throw new CliError(TIMEOUT);
  return pod;
}

const isCompleted = (p: PodView) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

// The text of a container's CRI log from byte `offset`: complete lines only.
function logText(s: RunState, pod: PodView, container: string, offset: number): { text: string; end: number } {
  const restart = pod.status?.containerStatuses?.[0]?.restartCount ?? 0;
  let data: Buffer;
  try {
    data = fs.readFileSync(logFile(s.ctx.session().home, pod, container, restart));
  } catch {
    return { text: '', end: offset };
  }
  const chunk = data.subarray(offset).toString('utf8');
  const lastNewline = chunk.lastIndexOf('\n');
  if (lastNewline < 0) return { text: '', end: offset };
  let text = '';
  for (const line of chunk.slice(0, lastNewline).split('\n')) {
    const m = /^\S+ (?:stdout|stderr) ([FP]) (.*)$/.exec(line);
    if (m) text += m[1] === 'F' ? `${m[2]}\n` : m[2];
  }
  return { text, end: offset + Buffer.byteLength(chunk.slice(0, lastNewline + 1)) };
}

// handleAttachPod: a pod that already finished shows its log; a running one is
// attached to (its output from now on, until the container stops).
function attach(s: RunState, name: string, timeoutMs: number, terminal: boolean): void {
  const flags = s.ctx.flags;
  const pod = waitPod(s, name, timeoutMs, (p) => {
    if (isCompleted(p)) return true;
    return p.status?.phase === 'Running' && (p.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
  });
  const container = pod.spec?.containers?.[0]?.name ?? name;
  if (isCompleted(pod)) {
    s.ctx.io.out(logText(s, pod, container, 0).text);
    return;
  }
  const quiet = flags.bool('quiet');
  if (flags.bool('stdin') && flags.bool('tty') && !process.stdin.isTTY && !quiet) {
    s.ctx.io.err('Unable to use a TTY - input is not a terminal or the right kind of file\n');
  }
  if (!quiet) s.ctx.io.err("If you don't see a command prompt, try pressing enter.\n");
  // A terminal talks to the container line by line instead (interactiveSession).
  if (terminal) return;
  const restarts = pod.status?.containerStatuses?.[0]?.restartCount ?? 0;
  // What the container wrote before the attachment is not shown.
  let offset = 0;
  try {
    offset = fs.statSync(logFile(s.ctx.session().home, pod, container, restarts)).size;
  } catch {
    offset = 0;
  }
  const manual = s.ctx.session().read((api) => api.world.state.clock.mode === 'manual');
  // Under a manual clock a container that never stops would keep the command going
  // forever; there the attachment ends after --pod-running-timeout of simulated time.
  const ended = waitFor(
    s.ctx.session(),
    (api) => {
      const p = api.tryGet(kindByApiVersion('v1', 'Pod')!, s.namespace, name) as PodView | undefined;
      if (!p) return true;
      const out = logText(s, p, container, offset);
      offset = out.end;
      if (out.text) s.ctx.io.out(out.text);
      const status = p.status?.containerStatuses?.[0];
      const ended = isCompleted(p) || !status?.state?.running || (status.restartCount ?? 0) !== restarts;
      return ended ? true : undefined;
    },
    { timeoutMs: manual ? timeoutMs : 0 },
  );
  if (!ended) throw new CliError(TIMEOUT);
}

// The command line the container runs, for the interactive session's prompt.
function containerArgv(pod: KubeObject): string[] {
  const c = (pod.spec as { containers?: { command?: string[]; args?: string[]; image?: string }[] } | undefined)?.containers?.[0];
  const argv = [...(c?.command ?? []), ...(c?.args ?? [])];
  return argv.length > 0 ? argv : ['sh'];
}

// The user typed `exit` (or ended the input): the container's program ends with that code.
function endSession(s: RunState, name: string, code: number): void {
  s.ctx.session().write((api) => {
    const pod = api.peek(kindByApiVersion('v1', 'Pod')!, s.namespace, name);
    const c = pod ? api.world.state.runtime[pod.metadata.uid ?? '']?.containers.find((x) => !x.init) : undefined;
    if (c) endAttachedProgram(c, api.now(), code);
    wakeAt(api, 'kubelet', `${s.namespace}/${name}`, api.now());
  });
}

// The exit of an attached pod that does not restart: its container's exit code, and
// the message kubectl prints (as is, after --rm's deletions) when it is not 0.
function exitOf(s: RunState, name: string, restart: string, timeoutMs: number): { code: number; message?: string } {
  const pod = waitPod(s, name, timeoutMs, (p) => (restart === 'OnFailure' ? p.status?.phase === 'Succeeded' : isCompleted(p)));
  if (pod.status?.phase === 'Succeeded') return { code: 0 };
  const where = `${pod.metadata.namespace}/${pod.metadata.name}`;
  const terminated = pod.status?.containerStatuses?.[0]?.state?.terminated;
  if (pod.status?.phase !== 'Failed') throw new CliError(`error: pod ${where} left in phase ${pod.status?.phase ?? ''}`);
  if (!terminated || !terminated.exitCode) throw new CliError(`error: pod ${where} failed with unknown exit code`);
  // uexec.CodeExitError: printed without `error: `, the container's code is kubectl's.
  const msg = `pod ${where} terminated (${terminated.reason ?? ''})\n${terminated.message ?? ''}`;
  return { code: terminated.exitCode, message: msg.endsWith('\n') ? msg : `${msg}\n` };
}

// --rm: delete what was created, as `kubectl delete` reports it.
function removeCreated(s: RunState, objects: KubeObject[]): void {
  for (const obj of objects) {
    const info = kindByApiVersion(obj.apiVersion, obj.kind);
    if (!info) continue;
    const name = obj.metadata.name ?? '';
    const gone = s.ctx.session().write((api) => {
      if (!api.peek(info, s.namespace, name)) return false;
      api.delete(info, s.namespace, name, { propagationPolicy: 'Background' });
      return true;
    });
    if (gone && !s.ctx.flags.bool('quiet')) s.ctx.io.out(`${info.kind.toLowerCase()} "${name}" deleted\n`);
  }
}

function runCommand(ctx: CommandContext): number {
  const flags = ctx.flags;
  requireFlags(ctx, ['image']);
  // Complete
  const dryRun = parseDryRun(flags, (w) => ctx.io.err(klogWarning(w)));
  const format = parseFormat(flags);
  cascadePolicy(ctx);
  const interactive = flags.bool('stdin');
  const attached = flags.has('attach') ? flags.bool('attach') : interactive;
  // Run
  // run.go also rejects a `--` before the name (ArgsLenAtDash == 0), yet kubectl 1.32
  // runs `kubectl run --image=x -- NAME args...` with NAME as the name: so does kubemu.
  if (ctx.args.length === 0) throw usageError(ctx, 'NAME is required for run');
  const timeoutMs = flags.duration('pod-running-timeout');
  if (timeoutMs <= 0) throw usageError(ctx, '--pod-running-timeout must be higher than zero');
  const image = flags.str('image');
  if (image === '') throw new CliError('error: --image is required');
  if (!REFERENCE.test(image)) throw new CliError(`error: Invalid image name "${image}": invalid reference format`);
  if (flags.bool('tty') && !interactive) throw usageError(ctx, '-i/--stdin is required for containers with -t/--tty=true');
  if (flags.bool('expose') && flags.str('port') === '') throw usageError(ctx, '--port must be set when exposing a service');
  const restart = restartPolicy(ctx);
  const remove = flags.bool('rm');
  if (!attached && remove) throw usageError(ctx, '--rm should only be used for attached containers');
  if (attached && dryRun !== 'none') {
    throw usageError(ctx, "--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)");
  }
  const pullPolicy = flags.str('image-pull-policy');
  if (!['', 'Always', 'IfNotPresent', 'Never'].includes(pullPolicy)) throw usageError(ctx, `invalid image pull policy: ${pullPolicy}`);
  const name = ctx.args[0];
  if (name === '') throw new CliError('error: Parameter: name is required');

  const s: RunState = { ctx, dryRun, format, namespace: ctx.namespace() };
  const operation = `created${dryRunSuffix(dryRun)}`;
  // A terminal is talked to line by line once attached; any other input is sent
  // to the container when it starts, as the attachment would stream it.
  const terminal = interactive && flags.bool('tty') && process.stdin.isTTY === true;
  const inputKey = `${s.namespace}/${name}/${name}`;
  if (interactive && !terminal && dryRun === 'none') {
    const data = ctx.readStdin();
    ctx.session().write((api) => {
      (api.world.state.attachStdin ??= {})[inputKey] = data;
      api.dirty = true;
    });
  }
  const pod = createObject(s, applyOverrides(ctx, buildPod(ctx, name, ctx.args.slice(1))));
  const created = [pod];
  const errors: Error[] = [];
  let printed = 0;
  if (flags.bool('expose')) {
    try {
      const service = createObject(s, buildService(ctx, name));
      ctx.io.out(printTyped(format, service, operation, printed++));
      // generateService's own separator, besides the printer's.
      if (format.raw === 'yaml') ctx.io.out('---\n');
      created.push(service);
    } catch (e) {
      errors.push(e as Error);
    }
  }
  if (attached) {
    let exit: { code: number; message?: string } = { code: 0 };
    try {
      attach(s, name, timeoutMs, terminal);
      if (terminal) endSession(s, name, interactiveSession(ctx, { pod: name, quiet: true }, containerArgv(pod)));
      const waitsForExit = !flags.bool('leave-stdin-open') && (restart === 'Never' || restart === 'OnFailure');
      if (waitsForExit) exit = exitOf(s, name, restart, timeoutMs);
    } finally {
      if (remove) removeCreated(s, created);
    }
    if (exit.message) ctx.io.err(exit.message);
    return exit.code;
  }
  ctx.io.out(printTyped(format, pod, operation, printed));
  if (errors.length > 0) throw errors[0];
  return 0;
}

export const command: Command = {
  flags: RUN_FLAGS,
  run(ctx: CommandContext) {
    return exitOnPrinted(() => runCommand(ctx));
  },
};
