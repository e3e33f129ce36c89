import type { Command } from '../../command';
import { loadConfig } from './common';
import { toYaml } from '../../../printers/yaml';
import { clone, isObject } from '../../../util/json';
import type { Json } from '../../../util/json';
import type { KubeconfigDoc } from '../../../cluster/kubeconfig';
import { CliError } from '../../errors';
import { OUTPUT_FLAGS, nameOf, parseFormat, renderObject } from '../../output';

// kubectl config view: the kubeconfig with secrets redacted (unless --raw);
// --minify keeps only what the current context uses.

function redact(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redact);
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k.endsWith('-data')) out[k] = 'DATA+OMITTED';
    else if (k === 'token' || k === 'password') out[k] = 'REDACTED';
    else out[k] = redact(x);
  }
  return out;
}

// clientcmd's v1.Config as Go's encoding/json writes it: struct field order,
// `preferences` always present. Keys the struct does not know go last.
const ORDER: Record<string, string[]> = {
  config: ['kind', 'apiVersion', 'preferences', 'clusters', 'users', 'contexts', 'current-context', 'extensions'],
  cluster: ['server', 'tls-server-name', 'insecure-skip-tls-verify', 'certificate-authority', 'certificate-authority-data', 'proxy-url', 'disable-compression', 'extensions'],
  user: ['client-certificate', 'client-certificate-data', 'client-key', 'client-key-data', 'token', 'tokenFile', 'as', 'as-uid', 'as-groups', 'as-user-extra', 'username', 'password', 'auth-provider', 'exec', 'extensions'],
  context: ['cluster', 'user', 'namespace', 'extensions'],
};
const NAMED: Record<string, string> = { clusters: 'cluster', users: 'user', contexts: 'context', extensions: 'extension' };

function inOrder(v: Json, keys: string[]): Json {
  if (!isObject(v)) return v;
  const out: Record<string, Json> = {};
  for (const k of [...keys, ...Object.keys(v).filter((k) => !keys.includes(k))]) {
    const x = v[k];
    if (x === undefined) continue;
    const item = NAMED[k];
    out[k] = item && Array.isArray(x) ? x.map((e) => inOrder(isObject(e) && e[item] !== undefined ? { ...e, [item]: inOrder(e[item], ORDER[item] ?? []) } : e, ['name', item])) : x;
  }
  return out;
}

function goStruct(doc: Json): Json {
  return inOrder(isObject(doc) ? { preferences: {}, ...doc } : doc, ORDER.config);
}

export const command: Command = {
  flags: [
    { name: 'minify', kind: 'bool' },
    { name: 'raw', kind: 'bool' },
    { name: 'flatten', kind: 'bool' },
    { name: 'merge', kind: 'string', default: 'true', noOptDefVal: 'true' },
    ...OUTPUT_FLAGS.map((f) => (f.name === 'output' ? { ...f, default: 'yaml' } : f)),
  ],
  run(ctx) {
    const kc = loadConfig(ctx);
    let doc: KubeconfigDoc = clone(kc.raw);
    if (ctx.flags.bool('minify')) {
      const c = doc.contexts?.find((x) => x.name === kc.currentContext);
      if (!c) throw new CliError('error: current-context must exist in order to minify');
      doc = {
        ...doc,
        contexts: [c],
        clusters: (doc.clusters ?? []).filter((x) => x.name === c.context.cluster),
        users: (doc.users ?? []).filter((x) => x.name === c.context.user),
      };
    }
    const out = ctx.flags.bool('raw') || ctx.flags.bool('flatten') ? doc : (redact(doc) as KubeconfigDoc);
    const format = parseFormat(ctx.flags);
    if (format.kind === 'default' || format.kind === 'yaml') ctx.io.out(toYaml(out as unknown as Json));
    else if (format.kind === 'name') ctx.io.out(`${nameOf(undefined, { apiVersion: 'v1', kind: 'Config', metadata: {} })}\n`);
    else ctx.io.out(renderObject(format, goStruct(out as unknown as Json), false));
    return 0;
  },
};
