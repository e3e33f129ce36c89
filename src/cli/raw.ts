import * as fs from 'node:fs';
import type { EphemeralContainer } from 'kubernetes-types/core/v1';
import type { CommandContext } from './command';
import type { KubeObject } from '../api/types';
import { kind } from '../api/registry';
import { badRequest } from '../api/errors';
import { CliError } from './errors';
import { goJsonCompact } from './verbs/create/go-structs';
import { clone } from '../util/json';

// Raw requests (`kubectl replace --raw PATH -f FILE`) that kubemu answers: the
// pods/ephemeralcontainers subresource, which takes a Pod, or, as clusters
// before 1.22 did, an EphemeralContainers object (what the Ephemeral
// Containers page sends), answered in the shape it was sent. The reply is the
// API server's body as it is: compact JSON and a newline.

const EPHEMERAL_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/ephemeralcontainers\/?$/;

interface Body {
  kind?: string;
  apiVersion?: string;
  spec?: { ephemeralContainers?: EphemeralContainer[] };
  ephemeralContainers?: EphemeralContainer[];
}

export function rawPut(ctx: CommandContext, path: string, file: string): string {
  const m = EPHEMERAL_PATH.exec(path.split('?')[0]);
  if (!m) throw new CliError(`error: --raw ${path} is not supported by kubemu (only pods' ephemeralcontainers)`);
  const [, namespace, name] = m;
  const text = file === '-' ? ctx.readStdin() : fs.readFileSync(file, 'utf8');
  let body: Body;
  try {
    body = JSON.parse(text) as Body;
  } catch (e) {
    throw badRequest(`the object provided is unrecognized: ${(e as Error).message}`);
  }
  const legacy = body.kind === 'EphemeralContainers';
  if (!legacy && body.kind !== 'Pod') throw badRequest(`the object provided is unrecognized (must be of type Pod): ${body.kind ?? ''}`);
  return ctx.session().write((api) => {
    const pod = clone(api.get(kind('Pod'), namespace, name));
    const requested = legacy ? body.ephemeralContainers : body.spec?.ephemeralContainers;
    pod.spec = { ...(pod.spec as object), ephemeralContainers: requested ?? [] };
    const next = api.update(pod, { subresource: 'ephemeralcontainers' });
    if (!legacy) return `${goJsonCompact(next, 'core.Pod')}\n`;
    return `${legacyReply(next, path)}\n`;
  });
}

function legacyReply(pod: KubeObject, path: string): string {
  const m = pod.metadata;
  const metadata = { name: m.name, namespace: m.namespace, selfLink: path, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp };
  const list = ((pod.spec as { ephemeralContainers?: EphemeralContainer[] }).ephemeralContainers ?? []).map((c) => goJsonCompact(c, 'core.EphemeralContainer'));
  return `{"kind":"EphemeralContainers","apiVersion":"v1","metadata":${goJsonCompact(metadata, 'meta.ObjectMeta')},"ephemeralContainers":[${list.join(',')}]}`;
}
