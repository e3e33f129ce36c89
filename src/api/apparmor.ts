import type { AppArmorProfile, Container, Pod } from 'kubernetes-types/core/v1';
import type { ApiServer } from './server';

// The API server's AppArmor version skew handling on pod create (v1.30–v1.33):
// a profile set by field is copied into the deprecated per-container
// annotation (for kubelets that only read annotations), and an annotation
// without a field is copied into the container's field, with a deprecation
// warning to the client.

export const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function annotationFor(p: AppArmorProfile): string {
  if (p.type === 'Unconfined') return 'unconfined';
  if (p.type === 'RuntimeDefault') return 'runtime/default';
  if (p.type === 'Localhost' && p.localhostProfile) return `localhost/${p.localhostProfile}`;
  return '';
}

function fieldFor(annotation: string): AppArmorProfile | undefined {
  if (annotation === 'unconfined') return { type: 'Unconfined' };
  if (annotation === 'runtime/default') return { type: 'RuntimeDefault' };
  const name = annotation.startsWith('localhost/') ? annotation.slice('localhost/'.length) : '';
  return name ? { type: 'Localhost', localhostProfile: name } : undefined;
}

const same = (a: AppArmorProfile | undefined, b: AppArmorProfile | undefined) => a?.type === b?.type && a?.localhostProfile === b?.localhostProfile;

export function applyAppArmorVersionSkew(pod: Pod, api: ApiServer): void {
  const spec = pod.spec;
  if (!spec || spec.os?.name === 'windows') return;
  const podProfile = spec.securityContext?.appArmorProfile;
  const containers: Container[] = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...((spec.ephemeralContainers ?? []) as Container[])];
  for (const c of containers) {
    const key = APPARMOR_ANNOTATION_PREFIX + c.name;
    const annotation = pod.metadata?.annotations?.[key];
    const own = c.securityContext?.appArmorProfile;
    if (annotation === undefined) {
      const value = own ? annotationFor(own) : podProfile ? annotationFor(podProfile) : '';
      if (value) (pod.metadata ??= {}).annotations = { ...(pod.metadata?.annotations ?? {}), [key]: value };
      continue;
    }
    if (own) continue;
    const field = fieldFor(annotation);
    let warn = field === undefined;
    if (field && !same(field, podProfile)) {
      c.securityContext = { ...(c.securityContext ?? {}), appArmorProfile: field };
      warn = true;
    }
    if (warn) api.warn(`metadata.annotations[${key}]: deprecated since v1.30; use the "appArmorProfile" field instead`);
  }
}
