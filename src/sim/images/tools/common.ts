import { createHash } from 'node:crypto';
import type { Pod, Service } from 'kubernetes-types/core/v1';
import type { ApiServer } from '../../../api/server';
import type { KubeObject } from '../../../api/types';
import { kind } from '../../../api/registry';
import { podByIP, resolveName, serviceBackends, tcpToPod } from '../../network';
import type { AppContext } from './types';

// What the image tools share: finding the server a client talks to, whether it
// is up, the members of an ensemble, and stable identities derived from uids.

export type P = Pod & KubeObject;


// Whether something in the pod accepts connections on port.
export function listening(api: ApiServer, pod: P, port: number, now: number): boolean {
  return tcpToPod({ api, now }, pod, port);
}

// The pod a client in `from` reaches at host:port (a pod IP, a pod DNS name or a
// Service), or undefined when the name does not resolve.
export function targetPod(api: ApiServer, from: P, host: string): P | undefined | 'unknown' {
  if (host === 'localhost' || host.startsWith('127.') || host === '::1' || host === from.status?.podIP) return from;
  const ns = from.metadata.namespace ?? 'default';
  let ips: string[] | undefined;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) ips = [host];
  else {
    // The pod's resolv.conf search list: <ns>.svc, svc, then the name as given.
    const name = host.replace(/\.$/, '').replace(/\.cluster\.local$/, '');
    const tries = host.endsWith('.') ? [name] : [name, `${name}.${ns}.svc`, `${name}.svc`];
    for (const t of tries) {
      ips = resolveName(api, t, ns);
      if (ips) break;
    }
  }
  if (!ips) return 'unknown';
  const ip = ips[0];
  if (ip === undefined) return undefined;
  const pod = podByIP(api, ip);
  if (pod) return pod;
  const svc = api.peekList(kind('Service')).find((s) => (s as Service & KubeObject).spec?.clusterIP === ip) as (Service & KubeObject) | undefined;
  return svc ? serviceBackends(api, svc)[0] : undefined;
}

export function hostnameOf(pod: P): string {
  return pod.spec?.hostname ?? pod.metadata.name ?? '';
}

// `hostname -d`: the domain of a pod with a subdomain (StatefulSet pods), else empty.
export function domainOf(pod: P): string {
  return pod.spec?.subdomain ? `${pod.spec.subdomain}.${pod.metadata.namespace}.svc.cluster.local` : '';
}

// The StatefulSet (or other controller) that owns the pod, and its pods.
export function siblings(api: ApiServer, pod: P): P[] {
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller);
  if (!owner) return [pod];
  return api
    .peekList(kind('Pod'), { namespace: pod.metadata.namespace })
    .filter((p) => p.metadata.ownerReferences?.some((o) => o.controller && o.uid === owner.uid)) as P[];
}

// What keeps a pod's data: the PersistentVolume behind the volume mounted at or
// above `path`, or the pod itself for emptyDirs and the container's own files.
export function dataBacking(api: ApiServer, pod: P, containerName: string, path: string): string {
  const c = pod.spec?.containers?.find((x) => x.name === containerName);
  let best: { mountPath: string; name: string } | undefined;
  for (const m of c?.volumeMounts ?? []) {
    const mp = m.mountPath.replace(/\/$/, '');
    if ((path === mp || path.startsWith(`${mp}/`)) && (!best || mp.length > best.mountPath.length)) best = { mountPath: mp, name: m.name };
  }
  const v = best && pod.spec?.volumes?.find((x) => x.name === best!.name);
  if (v?.persistentVolumeClaim) {
    const claim = api.peek(kind('PersistentVolumeClaim'), pod.metadata.namespace, v.persistentVolumeClaim.claimName);
    const pv = (claim?.spec as { volumeName?: string } | undefined)?.volumeName;
    if (pv) return `pv:${pv}`;
    if (claim?.metadata.uid) return `pvc:${claim.metadata.uid}`;
  }
  return `pod:${pod.metadata.uid ?? ''}`;
}

// Whether the data a backing id names still exists.
export function backingExists(api: ApiServer, id: string): boolean {
  const [k, rest] = [id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)];
  if (k === 'pv') return api.peek(kind('PersistentVolume'), undefined, rest) !== undefined;
  const info = kind(k === 'pvc' ? 'PersistentVolumeClaim' : 'Pod');
  return api.peekList(info).some((o) => o.metadata.uid === rest);
}

export function sha(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

// A version 4 UUID derived from `seed` (stable for the same seed).
export function uuidFrom(seed: string): string {
  const b = sha(seed);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

// appData slot of an application, created on first use; marks the state dirty
// so the change is saved.
export function appSlot<T>(ctx: AppContext, key: string, init: () => T): T {
  const data = ctx.appData;
  if (data[key] === undefined) data[key] = init();
  ctx.api.dirty = true;
  return data[key] as T;
}

// Splits a command line as redis-cli and zkCli do for lines read from stdin:
// blanks separate words, double or single quotes group them.
export function splitLine(line: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length) break;
    let word = '';
    if (line[i] === '"' || line[i] === "'") {
      const q = line[i++];
      let closed = false;
      while (i < line.length) {
        const ch = line[i++];
        if (ch === '\\' && q === '"' && i < line.length) {
          const n = line[i++];
          word += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n;
        } else if (ch === '\\' && q === "'" && line[i] === "'") {
          word += "'";
          i++;
        } else if (ch === q) {
          closed = true;
          break;
        } else word += ch;
      }
      // A closing quote must be followed by a blank.
      if (!closed || (i < line.length && !/\s/.test(line[i]))) return undefined;
    } else {
      while (i < line.length && !/\s/.test(line[i])) word += line[i++];
    }
    out.push(word);
  }
  return out;
}

// Glob matching as Redis's stringmatchlen does (*, ?, [...], \x).
export function globMatch(pattern: string, text: string, nocase = false): boolean {
  const p = nocase ? pattern.toLowerCase() : pattern;
  const t = nocase ? text.toLowerCase() : text;
  const go = (pi: number, ti: number): boolean => {
    while (pi < p.length) {
      const c = p[pi];
      if (c === '*') {
        while (p[pi + 1] === '*') pi++;
        if (pi + 1 === p.length) return true;
        for (let k = ti; k <= t.length; k++) if (go(pi + 1, k)) return true;
        return false;
      }
      if (ti >= t.length) return false;
      if (c === '?') {
        pi++;
        ti++;
        continue;
      }
      if (c === '[') {
        let j = pi + 1;
        const not = p[j] === '^';
        if (not) j++;
        let hit = false;
        while (j < p.length && p[j] !== ']') {
          if (p[j] === '\\' && j + 1 < p.length) {
            if (p[j + 1] === t[ti]) hit = true;
            j += 2;
          } else if (p[j + 1] === '-' && j + 2 < p.length && p[j + 2] !== ']') {
            const [a, b] = [p[j], p[j + 2]].sort();
            if (t[ti] >= a && t[ti] <= b) hit = true;
            j += 3;
          } else {
            if (p[j] === t[ti]) hit = true;
            j++;
          }
        }
        if (hit === not) return false;
        pi = j + 1;
        ti++;
        continue;
      }
      if (c === '\\' && pi + 1 < p.length) {
        if (p[pi + 1] !== t[ti]) return false;
        pi += 2;
        ti++;
        continue;
      }
      if (c !== t[ti]) return false;
      pi++;
      ti++;
    }
    return ti === t.length;
  };
  return go(0, 0);
}
