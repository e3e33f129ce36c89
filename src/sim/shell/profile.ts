// What an image provides: which shell /bin/sh is, whether bash exists, which
// programs are installed, and which nslookup/date/echo flavours they follow. The
// table is small on purpose; an unknown image gets a permissive busybox-like profile.

import type { Flavor } from './parser';

// bb-old: busybox up to 1.28 (getaddrinfo based, "Address 1: ..."); bb: busybox 1.29+
// (its own resolver, "Address: ...:53"); bind: nslookup from bind9/dnsutils.
export type NslookupStyle = 'bb-old' | 'bb' | 'bind';

export interface Profile {
  id: string;
  // What /bin/sh is; undefined when the image has no shell at all (distroless, pause).
  sh?: Flavor;
  bash: boolean;
  // GNU coreutils userland instead of busybox applets (messages, date %N, ls).
  gnu: boolean;
  nslookup?: NslookupStyle;
  // Programs beyond the base userland.
  extra: ReadonlySet<string>;
  // Base programs the image lacks (e.g. ps on Debian slim images).
  missing: ReadonlySet<string>;
  // Everything exists (unknown images): be permissive rather than wrong.
  permissive: boolean;
}

const NET_BB = ['nslookup', 'wget', 'ping', 'nc', 'telnet', 'traceroute', 'ifconfig', 'ip', 'netstat', 'httpd', 'ps', 'top', 'free', 'uptime', 'watch', 'usleep'];

function mk(p: Partial<Profile> & { id: string }): Profile {
  return {
    sh: 'ash',
    bash: false,
    gnu: false,
    extra: new Set(),
    missing: new Set(),
    permissive: false,
    ...p,
  };
}

const DEBIAN_MISSING = new Set(['ps', 'top', 'free', 'uptime', 'watch', 'usleep', 'nslookup', 'wget', 'curl', 'ping', 'nc', 'telnet', 'traceroute', 'ifconfig', 'ip', 'netstat', 'httpd', 'dig']);

function debian(id: string, extra: string[]): Profile {
  const missing = new Set(DEBIAN_MISSING);
  for (const e of extra) missing.delete(e);
  return mk({ id, sh: 'dash', bash: true, gnu: true, extra: new Set(extra), missing });
}

function busybox(id: string, old: boolean, extra: string[] = []): Profile {
  return mk({ id, sh: 'ash', nslookup: old ? 'bb-old' : 'bb', extra: new Set([...NET_BB, ...extra]) });
}

export function profileForImage(image: string | undefined): Profile {
  if (!image) return permissive();
  // registry/namespace/name:tag@digest -> name and tag
  const noDigest = image.split('@')[0];
  const lastColon = noDigest.lastIndexOf(':');
  const hasTag = lastColon > noDigest.lastIndexOf('/');
  const repo = (hasTag ? noDigest.slice(0, lastColon) : noDigest).toLowerCase();
  const tag = hasTag ? noDigest.slice(lastColon + 1).toLowerCase() : 'latest';
  const name = repo.replace(/^(docker\.io\/)?(library\/)?/, '');
  const alpineTag = tag.includes('alpine');
  const slim = tag.includes('slim');

  if (name === 'busybox') {
    const m = /^1\.(\d+)/.exec(tag);
    return busybox('busybox', !!m && Number(m[1]) <= 28);
  }
  if (name === 'alpine') return busybox('alpine', false);
  // busybox 1.22 with curl added (the Services tutorial's curl pod).
  if (name === 'radial/busyboxplus') return busybox('busyboxplus', true, ['curl']);
  if (name === 'curlimages/curl') return busybox('curl', false, ['curl']);
  if (/(^|\/)(netshoot)$/.test(name)) {
    const p = permissive();
    return { ...p, id: 'netshoot', nslookup: 'bind', bash: true };
  }
  if (/dnsutils|dnstools/.test(name)) return { ...debian('dnsutils', ['nslookup', 'dig', 'ping']), nslookup: 'bind' };
  if (/(^|\/)pause$/.test(name) || /distroless/.test(name)) return mk({ id: 'distroless', sh: undefined, extra: new Set(), missing: new Set() });
  if (name === 'nginx' || name === 'nginxinc/nginx-unprivileged') {
    return alpineTag ? busybox('nginx-alpine', false, ['curl', 'nginx']) : debian('nginx', ['curl', 'nginx']);
  }
  // Ubuntu and Debian based images of the StatefulSet tutorials.
  if (/(^|\/)kubernetes-zookeeper$/.test(name)) return debian('zookeeper', ['nc', 'ps', 'pkill', 'pgrep']);
  if (/(^|\/)google-samples\/(containers\/gke\/)?cassandra$/.test(name)) return debian('cassandra', []);
  if (name === 'redis') return alpineTag ? busybox('redis-alpine', false, ['redis-cli', 'redis-server']) : debian('redis', ['redis-cli', 'redis-server']);
  if (name === 'perl') return alpineTag ? busybox('perl-alpine', false, ['perl']) : debian('perl', slim ? ['perl'] : ['perl', 'curl', 'wget']);
  if (['python', 'node', 'golang', 'ruby', 'php', 'openjdk', 'eclipse-temurin', 'buildpack-deps'].includes(name)) {
    if (alpineTag) return busybox(name + '-alpine', false);
    return debian(name, slim ? ['perl'] : ['perl', 'curl', 'wget']);
  }
  if (name === 'ubuntu' || name === 'debian' || name === 'httpd' || name === 'postgres' || name === 'mysql' || name === 'mariadb') {
    return debian(name, name === 'ubuntu' || name === 'debian' ? [] : ['perl']);
  }
  return permissive();
}

function permissive(): Profile {
  return mk({ id: 'generic', sh: 'ash', bash: true, nslookup: 'bb', extra: new Set(), missing: new Set(), permissive: true });
}
