import * as fs from 'node:fs';
import * as path from 'node:path';
import { exclusiveTemp } from '../../util/temp';
import { spawnSync } from 'node:child_process';
import type { Command, CommandContext } from '../command';
import type { KubeObject } from '../../api/types';
import type { ApiServer } from '../../api/server';
import { StatusError } from '../../api/errors';
import type { JsonObject } from '../../util/json';
import { clone, isObject } from '../../util/json';
import { CliError, ExitError, formatError } from '../errors';
import { FILENAME_FLAGS, selectOptions, selectTargets } from '../builder';
import type { Target } from '../builder';
import { describeInfo } from '../objects';
import { LAST_APPLIED } from './apply';
import { threeWayPatch, applyStrategicPatch } from '../../api/merge/strategic';
import { inVersion } from '../../api/conversion';
import { goCompactJson } from '../../util/gojson';
import { toYaml } from '../../printers/yaml';
import type { Json } from '../../util/json';
import { unifiedHunks } from '../../util/unidiff';

// kubectl diff: each object of the manifests as it is live and as it would be
// once applied (a server-side dry run of apply's patch, or of the create),
// written as YAML into two temporary directories, LIVE-<n> and MERGED-<n>,
// compared as `diff -u -N` compares them (here, in-process) or with
// $KUBECTL_EXTERNAL_DIFF. Exit status: 0 equal, 1 different, 2+ trouble.

const FLAGS = [
  ...FILENAME_FLAGS,
  { name: 'selector', short: 'l', kind: 'string' as const },
  { name: 'server-side', kind: 'bool' as const },
  { name: 'field-manager', kind: 'string' as const, default: 'kubectl-client-side-apply' },
  { name: 'force-conflicts', kind: 'bool' as const },
  { name: 'show-managed-fields', kind: 'bool' as const },
  { name: 'concurrency', kind: 'int' as const, default: 1 },
  { name: 'prune', kind: 'bool' as const },
  { name: 'prune-allowlist', kind: 'stringArray' as const },
];

const MASK = '***';

interface Version {
  name: string;
  live?: KubeObject;
  merged: KubeObject;
}

// The object as apply would leave it (apply's Patcher, dry run).
function merged(ctx: CommandContext, api: ApiServer, t: Target, live: KubeObject | undefined): KubeObject {
  const f = ctx.flags;
  const opts = { dryRun: true, fieldManager: f.str('field-manager') };
  if (!live) return api.create(t.object, opts);
  if (f.bool('server-side')) return api.update(applyStrategicPatch(live, t.object as unknown as JsonObject, t.info.model), opts);
  // GetModifiedConfiguration without the annotation: the manifest, with an
  // annotations map that no longer holds the last-applied configuration.
  const modified = clone(t.object);
  const annotations = { ...(modified.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  modified.metadata.annotations = annotations;
  let original: Json | undefined;
  try {
    original = JSON.parse(live.metadata.annotations?.[LAST_APPLIED] ?? '') as Json;
  } catch {
    original = undefined;
  }
  const patch = threeWayPatch(original, modified as unknown as JsonObject, live as unknown as JsonObject, t.info.model);
  if (Object.keys(patch).length === 0) return live;
  try {
    return api.update(applyStrategicPatch(live, patch, t.info.model), opts);
  } catch (e) {
    if (e instanceof StatusError && !(e.reason === 'Invalid' && e.details?.causes?.length)) {
      throw new StatusError(
        e.code,
        e.reason,
        `error when applying patch:\n${goCompactJson(patch)}\nto:\n${describeInfo(t.info, t.name, t.namespace)}\nfor: "${t.source}": error when patching "${t.source}": ${e.message}`,
        e.details,
      );
    }
    throw e;
  }
}

// Masker: a Secret's data values never show; changed ones say so.
function mask(from: KubeObject | undefined, to: KubeObject): void {
  const a = isObject(from?.data) ? (from!.data as Record<string, unknown>) : undefined;
  const b = isObject(to.data) ? (to.data as Record<string, unknown>) : undefined;
  for (const k of Object.keys(a ?? {})) {
    if (b && k in b) {
      if (a![k] !== b[k]) {
        a![k] = `${MASK} (before)`;
        b[k] = `${MASK} (after)`;
        continue;
      }
      b[k] = MASK;
    }
    a![k] = MASK;
  }
  for (const k of Object.keys(b ?? {})) if (!(a && k in a)) b![k] = MASK;
}

function withoutManagedFields(obj: KubeObject | undefined): KubeObject | undefined {
  if (!obj?.metadata?.managedFields) return obj;
  const copy = { ...obj, metadata: { ...obj.metadata } };
  delete copy.metadata.managedFields;
  return copy;
}

// `apps.v1.Deployment.default.web`: group (if any), version, kind, namespace, name.
function fileName(t: Target): string {
  const [group, version] = t.object.apiVersion.includes('/') ? t.object.apiVersion.split('/') : ['', t.object.apiVersion];
  return `${group ? `${group}.` : ''}${version}.${t.object.kind}.${t.info.namespaced ? (t.namespace ?? '') : ''}.${t.name}`;
}

// GNU diff's time stamps: `2024-11-23 10:34:52.825275417 +0000`, local time.
function stamp(file: string): string {
  let ns: bigint;
  try {
    ns = fs.statSync(file, { bigint: true }).mtimeNs;
  } catch {
    ns = 0n;
  }
  const ms = Number(ns / 1000000n);
  const d = new Date(ms);
  const offset = -d.getTimezoneOffset();
  const two = (n: number) => String(n).padStart(2, '0');
  const zone = `${offset < 0 ? '-' : '+'}${two(Math.floor(Math.abs(offset) / 60))}${two(Math.abs(offset) % 60)}`;
  const frac = String(ns % 1000000000n).padStart(9, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${frac} ${zone}`;
}

// `diff -u -N FROM TO` on two directories; returns whether they differ.
function diffDirectories(ctx: CommandContext, from: string, to: string): boolean {
  const names = [...new Set([...fs.readdirSync(from), ...fs.readdirSync(to)])].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  let differ = false;
  for (const n of names) {
    const a = path.join(from, n);
    const b = path.join(to, n);
    const read = (p: string) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : '');
    const hunks = unifiedHunks(read(a), read(b));
    if (!hunks) continue;
    differ = true;
    ctx.io.out(`diff -u -N ${a} ${b}\n--- ${a}\t${stamp(a)}\n+++ ${b}\t${stamp(b)}\n${hunks}`);
  }
  return differ;
}

// $KUBECTL_EXTERNAL_DIFF: its first word is the program; later words that
// look like options are passed after the two directories.
function externalDiff(ctx: CommandContext, program: string, from: string, to: string): number {
  const words = program.split(' ');
  const args = [from, to, ...words.slice(1).filter((w) => /^[a-zA-Z0-9-=]+$/.test(w))];
  const r = spawnSync(words[0], args, { encoding: 'utf8', env: ctx.env });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'executable file not found in $PATH' : r.error.message;
    throw new CliError(`error: failed to run ${JSON.stringify(words[0])}: ${why}`, 2);
  }
  if (r.stdout) ctx.io.out(r.stdout);
  if (r.stderr) ctx.io.err(r.stderr);
  const status = r.status ?? 1;
  if (status > 1) throw new CliError(`error: failed to run ${JSON.stringify(words[0])}: exit status ${status}`, 2);
  return status;
}

// os.MkdirTemp: `<prefix>-<number>` in the temporary directory.
function tempDir(prefix: string): string {
  return exclusiveTemp(`${prefix}-`, '', (dir) => fs.mkdirSync(dir, { mode: 0o700 }));
}

function runDiff(ctx: CommandContext): number {
  const f = ctx.flags;
  if (ctx.args.length > 0) {
    throw new CliError(`error: Unexpected args: [${ctx.args.join(' ')}]\nSee '${ctx.commandPath} -h' for help and examples`);
  }
  if (f.list('filename').length === 0 && !f.str('kustomize')) throw new CliError('error: must specify one of -f and -k');
  if (f.bool('force-conflicts') && !f.bool('server-side')) throw new CliError('error: --force-conflicts only works with --server-side');
  const versions: Version[] = [];
  const session = ctx.session();
  const targets = session.read((api) => selectTargets(api, selectOptions(ctx, [], { selector: f.str('selector') || undefined })).items);
  for (const t of targets) {
    if (t instanceof Error) throw t;
    // One request per object, as kubectl makes them: each dry run starts afresh.
    session.read((api) => {
      const found = api.tryGet(t.info, t.namespace, t.name);
      const live = found ? inVersion(found, t.object.apiVersion) : undefined;
      const result = inVersion(merged(ctx, api, t, found), t.object.apiVersion);
      if (live?.metadata.deletionTimestamp) {
        ctx.io.err(`Warning: Detected changes to resource ${t.name} which is currently being deleted.\n`);
      }
      versions.push({ name: fileName(t), live, merged: result });
    });
  }
  const liveDir = tempDir('LIVE');
  const mergedDir = tempDir('MERGED');
  try {
    for (const v of versions) {
      let from = clone(v.live);
      let to = clone(v.merged);
      if (!f.bool('show-managed-fields')) {
        from = withoutManagedFields(from);
        to = withoutManagedFields(to)!;
      }
      if (to.apiVersion === 'v1' && to.kind === 'Secret') mask(from, to);
      fs.writeFileSync(path.join(liveDir, v.name), from ? toYaml(from as unknown as Json) : '', { mode: 0o700 });
      fs.writeFileSync(path.join(mergedDir, v.name), toYaml(to as unknown as Json), { mode: 0o700 });
    }
    const external = ctx.env.KUBECTL_EXTERNAL_DIFF;
    const status = external ? externalDiff(ctx, external, liveDir, mergedDir) : diffDirectories(ctx, liveDir, mergedDir) ? 1 : 0;
    if (status === 1) throw new ExitError(1);
    return 0;
  } finally {
    fs.rmSync(liveDir, { recursive: true, force: true });
    fs.rmSync(mergedDir, { recursive: true, force: true });
  }
}

export const command: Command = {
  flags: FLAGS,
  flagErrorExitCode: 2,
  run(ctx: CommandContext) {
    try {
      return runDiff(ctx);
    } catch (e) {
      // Differences found exit 1; any other failure exits one higher than usual.
      if (e instanceof ExitError) throw e;
      const text = formatError(e, ctx.commandPath);
      if (text) ctx.io.err(text.endsWith('\n') ? text : `${text}\n`);
      const own = e instanceof CliError ? e.exitCode : 1;
      throw new ExitError(own !== 1 ? own : 2);
    }
  },
};

