// Name resolution as libc does it inside a pod: /etc/hosts first, then DNS with the
// search list and ndots of /etc/resolv.conf. Both files are read once per process
// (kept in the kernel cache, which checkpoints carry) so replays ask the journal
// exactly as the first run did.

import type { ProcCtx } from '../proc';

export interface ResolvConf {
  nameservers: string[];
  search: string[];
  ndots: number;
}

// Without /etc/resolv.conf in the container view, a pod of the default namespace.
const DEFAULT_RESOLV: ResolvConf = {
  nameservers: ['10.96.0.10'],
  search: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
  ndots: 5,
};

function cachedFile(c: ProcCtx, path: string): string | null {
  const key = 'file:' + path;
  if (!(key in c.k.cache)) c.k.cache[key] = c.k.read(path);
  return c.k.cache[key] as string | null;
}

export function resolvConf(c: ProcCtx): ResolvConf {
  const text = cachedFile(c, '/etc/resolv.conf');
  if (text === null) return DEFAULT_RESOLV;
  const r: ResolvConf = { nameservers: [], search: [], ndots: 1 };
  for (const line of text.split('\n')) {
    const f = line.replace(/[#;].*/, '').trim().split(/\s+/);
    if (f[0] === 'nameserver' && f[1]) r.nameservers.push(f[1]);
    else if (f[0] === 'search' || f[0] === 'domain') r.search = f.slice(1);
    else if (f[0] === 'options') {
      for (const o of f.slice(1)) {
        const m = /^ndots:(\d+)$/.exec(o);
        if (m) r.ndots = Math.min(15, Number(m[1]));
      }
    }
  }
  if (!r.nameservers.length) r.nameservers.push('127.0.0.1');
  return r;
}

export function isIPv4(s: string): boolean {
  return /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s) && s.split('.').every((x) => Number(x) <= 255);
}

// Addresses /etc/hosts gives `name`, or undefined.
export function hostsLookup(c: ProcCtx, name: string): string[] | undefined {
  const text = cachedFile(c, '/etc/hosts');
  const n = name.toLowerCase().replace(/\.$/, '');
  if (text !== null) {
    const ips: string[] = [];
    for (const line of text.split('\n')) {
      const f = line.replace(/#.*/, '').trim().split(/\s+/);
      if (f.length < 2 || !isIPv4(f[0])) continue;
      if (f.slice(1).some((h) => h.toLowerCase() === n)) ips.push(f[0]);
    }
    if (ips.length) return ips;
  }
  if (n === 'localhost' || n === 'localhost.localdomain') return ['127.0.0.1'];
  if (n === c.hostname.toLowerCase() && text === null) return undefined;
  return undefined;
}

// The fully qualified names a resolver tries for `name`, in order.
export function candidates(conf: ResolvConf, name: string): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const dots = (name.match(/\./g) ?? []).length;
  const searched = conf.search.map((s) => `${name}.${s}`);
  return dots >= conf.ndots ? [name, ...searched] : [...searched, name];
}

// A records for `name` as getaddrinfo would find them; undefined when it fails.
export function resolveName(c: ProcCtx, name: string): string[] | undefined {
  if (isIPv4(name)) return [name];
  const h = hostsLookup(c, name);
  if (h) return h;
  const conf = resolvConf(c);
  for (const fq of candidates(conf, name)) {
    const r = c.k.resolve(fq);
    if (r && r.length) return r;
  }
  return undefined;
}
