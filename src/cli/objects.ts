import type { KubeObject } from '../api/types';
import type { KindInfo } from '../api/kinds';
import { apiVersionOf, qualifiedResource } from '../api/kinds';
import type { ApiServer } from '../api/server';
import { goQuote, StatusError } from '../api/errors';
import { CliError } from './errors';
import type { ManifestObject } from './manifests';
import { typeMetaProblem } from './manifests';
import { pruneNulls } from '../util/json';

// Steps every -f verb shares: map the object's kind, settle its namespace,
// and put the file name into server errors the way kubectl does.

export interface MappedObject {
  source: string;
  info: KindInfo;
  object: KubeObject;
  namespace: string | undefined;
  name: string;
}

// kubectl's client-side checks before anything is sent.
export function checkTypeMeta(m: ManifestObject): void {
  const problem = typeMetaProblem(m.object);
  if (problem) {
    throw new CliError(
      `error: error validating ${goQuote(m.source)}: error validating data: ${problem}; if you choose to ignore these errors, turn validation off with --validate=false`,
    );
  }
}

export function mapObject(api: ApiServer, m: ManifestObject, namespace: string, enforceNamespace: boolean): MappedObject {
  checkTypeMeta(m);
  const info = api.kindOf(m.object);
  const meta = m.object.metadata ?? {};
  if (!info) {
    throw new CliError(
      `error: resource mapping not found for name: ${goQuote(String(meta.name ?? ''))} namespace: ${goQuote(String(meta.namespace ?? ''))} from ${goQuote(m.source)}: no matches for kind ${goQuote(String(m.object.kind))} in version ${goQuote(String(m.object.apiVersion))}\nensure CRDs are installed first`,
    );
  }
  const object = pruneNulls(m.object);
  object.metadata ??= {};
  let ns: string | undefined;
  if (info.namespaced) {
    const own = object.metadata.namespace;
    if (own && enforceNamespace && own !== namespace) {
      throw new CliError(
        `error: the namespace from the provided object "${own}" does not match the namespace "${namespace}". You must pass '--namespace=${own}' to perform this operation.`,
      );
    }
    ns = own || namespace;
    object.metadata.namespace = ns;
  }
  return { source: m.source, info, object, namespace: ns, name: object.metadata.name ?? '' };
}

// AddSourceToErr: server errors name the file they came from.
export function withSource(err: unknown, verb: string, source: string): unknown {
  if (err instanceof StatusError && source) {
    return new StatusError(err.code, err.reason, `error when ${verb} ${goQuote(source)}: ${err.message}`, err.details);
  }
  return err;
}

// The `Resource: ... Name: ..., Namespace: ...` block kubectl prints about an object.
export function describeInfo(info: KindInfo, name: string, namespace: string | undefined): string {
  const gv = info.group ? `${info.group}/${info.version}` : `/${info.version}`;
  return `Resource: "${gv}, Resource=${info.resource}", GroupVersionKind: "${gv}, Kind=${info.kind}"\nName: "${name}", Namespace: "${namespace ?? ''}"`;
}

export function missingName(m: MappedObject, verbing: string): CliError {
  return new CliError(
    `error: error when ${verbing}:\n${describeInfo(m.info, '', m.namespace)}\nfrom server for: ${goQuote(m.source)}: resource name may not be empty`,
  );
}

export { apiVersionOf, qualifiedResource };
