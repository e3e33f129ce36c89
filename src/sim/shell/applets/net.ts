// Network programs against the world's fake cluster network: nslookup (busybox
// 1.28, busybox 1.29+ and bind formats), wget (busybox), curl, ping, nc, dig +short,
// redis-cli ping. Every answer comes through the kernel's journal.

import type { Gen } from '../kernel';
import { ProcOut, readAll } from '../io';
import { abs, err, errOut, out, parseOpts, readFile } from '../proc';
import type { ProcCtx, Applet } from '../proc';
import { baseName } from '../paths';
import type { HttpRequest, HttpResult } from '../types';
import { candidates, hostsLookup, isIPv4, resolvConf, resolveName } from './netutil';
import { verifyPeer } from './tls';

const REASONS: Record<number, string> = {
  100: 'Continue', 101: 'Switching Protocols', 200: 'OK', 201: 'Created', 202: 'Accepted', 203: 'Non-Authoritative Information', 204: 'No Content',
  206: 'Partial Content', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified', 307: 'Temporary Redirect',
  308: 'Permanent Redirect', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 408: 'Request Timeout', 409: 'Conflict', 410: 'Gone', 413: 'Payload Too Large', 415: 'Unsupported Media Type',
  418: "I'm a teapot", 421: 'Misdirected Request', 422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error',
  501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

export function reason(status: number): string {
  return REASONS[status] ?? '';
}

// The cluster's DNS zone: answers inside it are authoritative.
function authoritative(name: string, conf: { search: string[] }): boolean {
  const base = conf.search[conf.search.length - 1] ?? 'cluster.local';
  return name === base || name.endsWith('.' + base) || name.endsWith('.cluster.local');
}

// --- nslookup -----------------------------------------------------------------------

export const nslookup: Applet = function* (c) {
  const args = c.argv.slice(1).filter((a) => !a.startsWith('-'));
  const typeOpt = c.argv.slice(1).find((a) => /^-(type|query|q)=/i.test(a));
  const style = c.profile.nslookup ?? 'bb';
  if (!args.length) {
    yield* errOut(c, style === 'bind' ? '' : 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n');
    return 1;
  }
  const name = args[0];
  const conf = resolvConf(c);
  const server = args[1] ?? conf.nameservers[0];
  yield { k: 'time', ms: 2 };
  if (style === 'bb-old') return yield* nslookupOld(c, name, server);
  let text = '';
  if (style === 'bind') {
    text += `Server:\t\t${server}\nAddress:\t${server}#53\n\n`;
    if (isIPv4(name)) {
      const ptr = c.k.reverse(name);
      const rev = name.split('.').reverse().join('.') + '.in-addr.arpa';
      if (ptr) text += `${rev}\tname = ${ptr}.\n\n`;
      else text += `** server can't find ${rev}: NXDOMAIN\n\n`;
      yield* out(c, text);
      return ptr ? 0 : 1;
    }
    for (const fq of candidates(conf, name)) {
      const r = c.k.resolve(fq);
      if (r && r.length) {
        if (!authoritative(fq, conf)) text += 'Non-authoritative answer:\n';
        for (const ip of r) text += `Name:\t${fq}\nAddress: ${ip}\n`;
        text += '\n';
        yield* out(c, text);
        return 0;
      }
    }
    text += `** server can't find ${name}: NXDOMAIN\n\n`;
    yield* out(c, text);
    return 1;
  }
  // busybox 1.29+: its own resolver; A and AAAA queries for each search domain when the
  // name has no dot, and exit status 1 as soon as one answer is NXDOMAIN.
  text += `Server:\t\t${server}\nAddress:\t${server}:53\n\n`;
  if (isIPv4(name)) {
    const ptr = c.k.reverse(name);
    const rev = name.split('.').reverse().join('.') + '.in-addr.arpa';
    text += ptr ? `${rev}\tname = ${ptr}\n\n` : `** server can't find ${rev}: NXDOMAIN\n\n`;
    yield* out(c, text);
    return ptr ? 0 : 1;
  }
  const names = name.includes('.') || conf.search.length === 0 ? [name.replace(/\.$/, '')] : conf.search.map((s) => `${name}.${s}`);
  const type = typeOpt ? typeOpt.split('=')[1].toUpperCase() : undefined;
  const types = type ? [type] : ['A', 'AAAA'];
  let code = 0;
  for (const t of types) {
    for (const fq of names) {
      const r = c.k.resolve(fq);
      if (r === null) {
        text += `** server can't find ${fq}: NXDOMAIN\n\n`;
        code = 1;
        continue;
      }
      if (!authoritative(fq, conf)) text += 'Non-authoritative answer:\n';
      if (t === 'A') for (const ip of r) text += `Name:\t${fq}\nAddress: ${ip}\n`;
      text += '\n';
    }
  }
  yield* out(c, text);
  return code;
};

function* nslookupOld(c: ProcCtx, name: string, server: string): Gen<number> {
  const head = (h: string, v: string): string => `${h.padEnd(10)} ${v}\n`;
  const addrLine = (n: number, ip: string): string => {
    const ptr = c.k.reverse(ip);
    return `Address ${n}: ${ip}${ptr ? ' ' + ptr : ''}\n`;
  };
  let text = head('Server:', server) + addrLine(1, server) + '\n';
  const ips = resolveName(c, name);
  if (!ips) {
    yield* out(c, text);
    yield* err(c, `can't resolve '${name}'`);
    return 1;
  }
  text += head('Name:', name);
  ips.forEach((ip, i) => (text += addrLine(i + 1, ip)));
  yield* out(c, text);
  return 0;
}

export const dig: Applet = function* (c) {
  const args = c.argv.slice(1);
  const short = args.includes('+short');
  const name = args.find((a) => !a.startsWith('+') && !a.startsWith('@') && !a.startsWith('-') && !/^(A|AAAA|SRV|TXT|MX|CNAME|NS|PTR|ANY)$/i.test(a));
  const conf = resolvConf(c);
  const server = (args.find((a) => a.startsWith('@')) ?? '@' + conf.nameservers[0]).slice(1);
  yield { k: 'time', ms: 2 };
  if (!name) return 0;
  const fq = name.replace(/\.$/, '');
  const r = c.k.resolve(fq);
  if (short) {
    yield* out(c, (r ?? []).map((ip) => ip + '\n').join(''));
    return 0;
  }
  const status = r === null ? 'NXDOMAIN' : 'NOERROR';
  let t = `\n; <<>> DiG 9.18.28 <<>> ${args.join(' ')}\n;; global options: +cmd\n;; Got answer:\n;; ->>HEADER<<- opcode: QUERY, status: ${status}, id: ${c.k.random() % 65536}\n`;
  t += `;; flags: qr aa rd; QUERY: 1, ANSWER: ${r?.length ?? 0}, AUTHORITY: 0, ADDITIONAL: 1\n\n;; QUESTION SECTION:\n;${fq}.\t\t\tIN\tA\n\n`;
  if (r && r.length) t += `;; ANSWER SECTION:\n${r.map((ip) => `${fq}.\t30\tIN\tA\t${ip}\n`).join('')}\n`;
  t += `;; Query time: 0 msec\n;; SERVER: ${server}#53(${server}) (UDP)\n;; MSG SIZE  rcvd: 100\n\n`;
  yield* out(c, t);
  return 0;
};

// --- HTTP clients --------------------------------------------------------------------

interface Url {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  explicitPort: boolean;
  path: string;
}

export function parseUrl(u: string): Url | undefined {
  const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?(?:[^@/]*@)?(\[[^\]]+\]|[^:/?#]*)(?::(\d+))?([^#]*)/.exec(u);
  if (!m) return undefined;
  const scheme = (m[1] ?? 'http').toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return undefined;
  const host = m[2];
  if (!host) return undefined;
  let path = m[4] || '/';
  if (!path.startsWith('/')) path = '/' + path;
  return { scheme, host, port: m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80, explicitPort: !!m[3], path };
}

type Fetch =
  | { k: 'dns' }
  | { k: 'error'; error: 'refused' | 'timeout' | 'unreachable' | 'reset' | 'tls'; ip: string; waited: number }
  // headers: lower-cased names for lookups; raw: as the server sent them.
  | { k: 'ok'; status: number; headers: Record<string, string>; raw: [string, string][]; body: string; ip: string; url: Url; elapsed: number; cert?: string };

// Resolves, connects and sends one request; follows no redirects. `timeoutMs` bounds the
// wait for an unresponsive peer.
function* fetchOnce(c: ProcCtx, url: Url, method: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number): Gen<Fetch> {
  const ips = isIPv4(url.host) ? [url.host] : resolveName(c, url.host);
  yield { k: 'time', ms: 1 };
  if (!ips || !ips.length) return { k: 'dns' };
  const ip = ips[0];
  const req: HttpRequest = {
    method,
    url: `${url.scheme}://${url.host}${url.explicitPort ? ':' + url.port : ''}${url.path}`,
    scheme: url.scheme,
    host: url.host,
    ip,
    port: url.port,
    path: url.path,
    headers,
  };
  if (body !== undefined) req.body = body;
  const r: HttpResult = c.k.http(req);
  if ('error' in r) {
    const waited = r.error === 'timeout' ? timeoutMs : (r.latencyMs ?? 1);
    if (Number.isFinite(waited) && waited > 0) yield { k: 'time', ms: waited };
    else if (!Number.isFinite(waited)) for (;;) yield { k: 'block' };
    return { k: 'error', error: r.error, ip, waited };
  }
  const lat = r.latencyMs ?? 2;
  if (lat > timeoutMs) {
    yield { k: 'time', ms: timeoutMs };
    return { k: 'error', error: 'timeout', ip, waited: timeoutMs };
  }
  if (lat > 0) yield { k: 'time', ms: lat };
  const hdrs: Record<string, string> = {};
  const raw = Object.entries(r.headers ?? {});
  for (const [k, v] of raw) hdrs[k.toLowerCase()] = v;
  return { k: 'ok', status: r.status, headers: hdrs, raw, body: r.body, ip, url, elapsed: lat, ...(r.cert === undefined ? {} : { cert: r.cert }) };
}

function resolveLocation(base: Url, loc: string): Url | undefined {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(loc)) return parseUrl(loc);
  if (loc.startsWith('/')) return { ...base, path: loc };
  const dir = base.path.replace(/[^/]*$/, '');
  return { ...base, path: dir + loc };
}

function bar(pct: number): string {
  const stars = Math.floor((32 * pct) / 100);
  return '*'.repeat(stars) + ' '.repeat(32 - stars);
}

// busybox's smart_ulltoa5: a size in at most 5 characters.
function size5(n: number): string {
  if (n < 100000) return String(n).padStart(5);
  const units = 'kMGTPE';
  let v = n;
  let i = -1;
  while (v >= 100000 && i < units.length - 1) {
    v = v / 1024;
    i++;
  }
  return (String(Math.floor(v)) + units[i]).padStart(5);
}

export const wget: Applet = function* (c) {
  const o = parseOpts(c.argv.slice(1), {
    flags: 'qcsSv',
    withArg: 'OTUPYtoe',
    long: {
      quiet: ['q', false],
      'output-document': ['O', true],
      timeout: ['T', true],
      spider: ['s', false],
      'user-agent': ['U', true],
      header: ['H', true],
      'post-data': ['D', true],
      'no-check-certificate': ['k', false],
      'server-response': ['S', false],
      'directory-prefix': ['P', true],
      continue: ['c', false],
      tries: ['t', true],
      'output-file': ['o', true],
      proxy: ['Y', true],
    },
  });
  if (o.bad || !o.rest.length) {
    yield* errOut(c, 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[--no-check-certificate] [-P DIR] [-U AGENT] [-T SEC] URL...\n');
    return 1;
  }
  const quiet = !!o.o.q;
  const timeoutMs = typeof o.o.T === 'string' ? Number(o.o.T) * 1000 : 900000;
  const headers: Record<string, string> = { 'User-Agent': typeof o.o.U === 'string' ? o.o.U : 'Wget' };
  for (const h of o.all.H ?? []) {
    const i = h.indexOf(':');
    if (i > 0) headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  const post = typeof o.o.D === 'string' ? o.o.D : undefined;
  let st = 0;
  for (const raw of o.rest) {
    let url = parseUrl(raw);
    if (!url) {
      yield* err(c, `not an http or ftp url: ${raw}`);
      return 1;
    }
    const outName = typeof o.o.O === 'string' ? o.o.O : undefined;
    let fname = outName ?? (baseName(url.path.replace(/\?.*$/, '')) || 'index.html');
    if (fname === '/') fname = 'index.html';
    if (!outName && typeof o.o.P === 'string') fname = `${o.o.P}/${fname}`;
    const toStdout = fname === '-';
    if (url.scheme === 'https' && !quiet) yield* err(c, 'note: TLS certificate validation not implemented');
    let result: Fetch;
    for (let redirects = 0; ; redirects++) {
      const hostShown = url.explicitPort ? `${url.host}:${url.port}` : url.host;
      const ips = isIPv4(url.host) ? [url.host] : resolveName(c, url.host);
      if (!ips || !ips.length) {
        yield* err(c, `bad address '${url.host}'`);
        return 1;
      }
      if (!quiet) yield* errOut(c, `Connecting to ${hostShown} (${ips[0]}:${url.port})\n`);
      result = yield* fetchOnce(c, url, post !== undefined ? 'POST' : o.o.s ? 'HEAD' : 'GET', { ...headers, Host: hostShown }, post, timeoutMs);
      if (result.k === 'ok' && result.status >= 300 && result.status < 400 && result.headers.location && redirects < 20) {
        const next = resolveLocation(url, result.headers.location);
        if (next) {
          url = next;
          continue;
        }
      }
      break;
    }
    if (result.k === 'dns') {
      yield* err(c, `bad address '${url.host}'`);
      return 1;
    }
    if (result.k === 'error') {
      if (result.error === 'timeout') yield* err(c, 'download timed out');
      else if (result.error === 'reset' || result.error === 'tls') yield* err(c, 'error getting response: Connection reset by peer');
      else yield* err(c, `can't connect to remote host (${result.ip}): ${result.error === 'unreachable' ? 'Host is unreachable' : 'Connection refused'}`);
      return 1;
    }
    if (o.o.S) {
      const hs = result.raw.map(([k, v]) => `  ${k}: ${v}\n`);
      yield* errOut(c, `  HTTP/1.1 ${result.status} ${reason(result.status)}\n${hs.join('')}`);
    }
    if (result.status >= 400 || (result.status >= 300 && result.status !== 304)) {
      yield* err(c, `server returned error: HTTP/1.1 ${result.status} ${reason(result.status)}`);
      return 1;
    }
    if (o.o.s) {
      if (!quiet) yield* errOut(c, 'remote file exists\n');
      continue;
    }
    const body = result.body;
    if (!toStdout) {
      const p = abs(c, fname);
      if (!outName && c.k.stat(p)) {
        yield* err(c, `can't open '${fname}': File exists`);
        return 1;
      }
      const e = c.k.write(p, body, false);
      if (e) {
        yield* err(c, `can't open '${fname}': ${e === 'ENOENT' ? 'No such file or directory' : e === 'EROFS' ? 'Read-only file system' : 'Permission denied'}`);
        return 1;
      }
    }
    if (!quiet) yield* errOut(c, toStdout ? 'writing to stdout\n' : `saving to '${fname}'\n`);
    if (toStdout) yield* out(c, body);
    if (!quiet) {
      const cur = (toStdout ? '-' : baseName(fname)).slice(0, 20).padEnd(20);
      yield* errOut(c, `${cur} 100% |${bar(100)}| ${size5(Buffer.byteLength(body))}  0:00:00 ETA\n`);
      yield* errOut(c, toStdout ? 'written to stdout\n' : `'${fname}' saved\n`);
    }
    st = 0;
  }
  return st;
};

// curl's max5data: a number in 5 characters.
function max5(n: number): string {
  const K = 1024;
  if (n < 100000) return String(Math.round(n)).padStart(5);
  if (n < 10000 * K) return (String(Math.floor(n / K)) + 'k').padStart(5);
  if (n < 100 * K * K) return `${Math.floor(n / (K * K))}.${Math.floor(((n % (K * K)) * 10) / (K * K))}M`.padStart(5);
  return (String(Math.floor(n / (K * K))) + 'M').padStart(5);
}

function curlMeter(total: number, got: number, speed: number): string {
  const p = (v: number): string => String(v).padStart(3);
  const pct = total > 0 ? Math.floor((got * 100) / total) : 0;
  const t = '--:--:--';
  return `${p(pct)} ${max5(total)}  ${p(pct)} ${max5(got)}  ${p(0)} ${max5(0)}  ${max5(speed)}  ${max5(0)} ${t} ${t} ${t} ${max5(speed)}`;
}

// What curl adds after a failed peer verification.
const CERT_HELP =
  'More details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the web page mentioned above.';

const METER_HEAD = '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n';

export const curl: Applet = function* (c) {
  const o = parseOpts(c.argv.slice(1), {
    flags: 'sSfiIkLvOGgqN#',
    withArg: 'oXdHwmuAeEbcrTxFy',
    long: {
      silent: ['s', false],
      'show-error': ['S', false],
      fail: ['f', false],
      'fail-with-body': ['B', false],
      include: ['i', false],
      head: ['I', false],
      insecure: ['k', false],
      location: ['L', false],
      verbose: ['v', false],
      output: ['o', true],
      'remote-name': ['O', false],
      request: ['X', true],
      data: ['d', true],
      'data-raw': ['d', true],
      'data-binary': ['d', true],
      'data-urlencode': ['d', true],
      json: ['J', true],
      header: ['H', true],
      'write-out': ['w', true],
      'max-time': ['m', true],
      'connect-timeout': ['C', true],
      user: ['u', true],
      'user-agent': ['A', true],
      retry: ['R', true],
      'retry-delay': ['D', true],
      'retry-max-time': ['M', true],
      'retry-connrefused': ['Z', false],
      'retry-all-errors': ['Z', false],
      http1: ['1', false],
      'http1.1': ['1', false],
      http2: ['2', false],
      compressed: ['z', false],
      'no-progress-meter': ['P', false],
      cacert: ['a', true],
      url: ['U', true],
      get: ['G', false],
      'progress-bar': ['#', false],
      'no-buffer': ['N', false],
      ipv4: ['4', false],
    },
  });
  const urls = [...o.rest, ...(o.all.U ?? [])];
  if (o.bad) {
    yield* errOut(c, `curl: option ${o.bad.startsWith('--') ? o.bad : '-' + o.bad}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n`);
    return 2;
  }
  if (!urls.length) {
    yield* errOut(c, "curl: try 'curl --help' or 'curl --manual' for more information\n");
    return 2;
  }
  const silent = !!o.o.s;
  const showErr = !silent || !!o.o.S;
  // The meter goes to stderr only when stdout is not a terminal.
  const meter = !silent && !o.o.P && !o.o.v && !(c.tty && c.fds.get(1) instanceof ProcOut);
  const maxTime = typeof o.o.m === 'string' ? Number(o.o.m) * 1000 : Infinity;
  const connTimeout = typeof o.o.C === 'string' ? Number(o.o.C) * 1000 : Infinity;
  const headers: Record<string, string> = { 'User-Agent': typeof o.o.A === 'string' ? o.o.A : 'curl/8.9.1', Accept: '*/*' };
  for (const h of o.all.H ?? []) {
    const i = h.indexOf(':');
    if (i > 0) headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  if (typeof o.o.u === 'string') headers.Authorization = 'Basic ' + Buffer.from(o.o.u).toString('base64');
  let data: string | undefined = o.all.d ? o.all.d.map((d) => (d.startsWith('@') ? fileOrEmpty(c, d.slice(1)) : d)).join('&') : undefined;
  if (typeof o.o.J === 'string') {
    data = o.o.J;
    headers['Content-Type'] = 'application/json';
    headers.Accept = 'application/json';
  }
  if (data !== undefined && !headers['Content-Type']) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  const method = typeof o.o.X === 'string' ? o.o.X : o.o.I ? 'HEAD' : data !== undefined && !o.o.G ? 'POST' : 'GET';
  const fail = (code: number, msg: string): Gen<number> =>
    (function* () {
      if (meter) yield* errOut(c, '\n');
      if (showErr) yield* errOut(c, `curl: (${code}) ${msg}\n`);
      return code;
    })();
  let last = 0;
  for (const raw of urls) {
    let url = parseUrl(raw);
    if (!url) {
      if (showErr) yield* errOut(c, `curl: (3) URL rejected: Malformed input to a URL function\n`);
      return 3;
    }
    const start = c.k.clock;
    if (meter) yield* errOut(c, METER_HEAD + '\r' + curlMeter(0, 0, 0));
    let res: Fetch;
    for (let redirects = 0; ; redirects++) {
      const left = maxTime - (c.k.clock - start);
      const timeout = Math.min(left, connTimeout, 130000);
      res = yield* fetchOnce(c, url, method, { Host: url.explicitPort ? `${url.host}:${url.port}` : url.host, ...headers }, data, timeout);
      if (o.o.L && res.k === 'ok' && res.status >= 300 && res.status < 400 && res.headers.location && redirects < 50) {
        if (o.o.i || o.o.I) yield* out(c, headerBlock(res));
        const next = resolveLocation(url, res.headers.location);
        if (next) {
          url = next;
          continue;
        }
      }
      break;
    }
    const elapsed = c.k.clock - start;
    if (res.k === 'dns') return yield* fail(6, `Could not resolve host: ${url.host}`);
    if (res.k === 'error') {
      if (res.error === 'timeout') {
        if (Number.isFinite(maxTime) && elapsed >= maxTime) return yield* fail(28, `Operation timed out after ${elapsed} milliseconds with 0 bytes received`);
        if (Number.isFinite(connTimeout)) return yield* fail(28, `Connection timed out after ${elapsed} milliseconds`);
        return yield* fail(7, `Failed to connect to ${url.host} port ${url.port} after ${elapsed} ms: Couldn't connect to server`);
      }
      if (res.error === 'reset') return yield* fail(56, 'Recv failure: Connection reset by peer');
      if (res.error === 'tls') return yield* fail(35, 'error:0A00010B:SSL routines::wrong version number');
      return yield* fail(7, `Failed to connect to ${url.host} port ${url.port} after ${elapsed} ms: ${res.error === 'unreachable' ? 'Could not connect to server' : "Couldn't connect to server"}`);
    }
    if (url.scheme === 'https' && !o.o.k && res.cert !== undefined) {
      const cafile = typeof o.o.a === 'string' ? readFile(c, o.o.a) : undefined;
      if (cafile && !('data' in cafile)) return yield* fail(77, `error setting certificate file: ${String(o.o.a)}`);
      const why = verifyPeer({ presented: res.cert, anchors: cafile?.data, host: url.host, at: c.k.clock });
      if (why) return yield* fail(60, `${why}\n${CERT_HELP}`);
    }
    if (o.o.v) {
      const hs = Object.entries({ Host: url.host, ...headers }).map(([k, v]) => `> ${k}: ${v}\n`);
      yield* errOut(
        c,
        `*   Trying ${res.ip}:${url.port}...\n* Connected to ${url.host} (${res.ip}) port ${url.port}\n> ${method} ${url.path} HTTP/1.1\n${hs.join('')}> \n< HTTP/1.1 ${res.status} ${reason(res.status)}\n${res.raw
          .map(([k, v]) => `< ${k}: ${v}\n`)
          .join('')}< \n`,
      );
    }
    if (o.o.f && res.status >= 400) {
      if (meter) yield* errOut(c, '\r' + curlMeter(0, 0, 0));
      return yield* fail(22, `The requested URL returned error: ${res.status}`);
    }
    let body = method === 'HEAD' ? '' : res.body;
    if (o.o.i || o.o.I) body = headerBlock(res) + body;
    const size = Buffer.byteLength(res.body);
    const outFile = typeof o.o.o === 'string' ? o.o.o : o.o.O ? baseName(url.path.replace(/\?.*$/, '')) || 'index.html' : undefined;
    if (outFile && outFile !== '-' && outFile !== '/dev/stdout') {
      if (outFile !== '/dev/null') {
        const e = c.k.write(abs(c, outFile), body, false);
        if (e) return yield* fail(23, `Failure writing output to destination`);
      }
    } else yield* out(c, body);
    if (meter) {
      const speed = elapsed > 0 ? Math.floor((size * 1000) / elapsed) : size;
      yield* errOut(c, '\r' + curlMeter(size, size, speed) + '\n');
    }
    if (typeof o.o.w === 'string') yield* out(c, writeOut(o.o.w, res, size, elapsed, url));
    last = o.o.B && res.status >= 400 ? 22 : 0;
  }
  return last;
};

function fileOrEmpty(c: ProcCtx, f: string): string {
  const r = readFile(c, f);
  return 'data' in r ? r.data : '';
}

function headerBlock(res: Extract<Fetch, { k: 'ok' }>): string {
  const hs = res.raw.map(([k, v]) => `${k}: ${v}\r\n`);
  return `HTTP/1.1 ${res.status} ${reason(res.status)}\r\n${hs.join('')}\r\n`;
}

function writeOut(fmt: string, res: Extract<Fetch, { k: 'ok' }>, size: number, elapsed: number, url: Url): string {
  return fmt
    .replace(/\\n/g, '\n')
    .replace(/\\t/g, '\t')
    .replace(/\\r/g, '\r')
    .replace(/%\{([a-z_]+)\}/g, (m, k: string) => {
      switch (k) {
        case 'http_code':
        case 'response_code':
          return String(res.status);
        case 'size_download':
          return String(size);
        case 'time_total':
        case 'time_starttransfer':
          return (elapsed / 1000).toFixed(6);
        case 'time_connect':
        case 'time_namelookup':
          return (Math.min(elapsed, 1) / 1000).toFixed(6);
        case 'url_effective':
          return `${url.scheme}://${url.host}${url.explicitPort ? ':' + url.port : ''}${url.path}`;
        case 'remote_ip':
          return res.ip;
        case 'remote_port':
          return String(url.port);
        case 'content_type':
          return res.headers['content-type'] ?? '';
        case 'num_redirects':
          return '0';
        default:
          return m;
      }
    });
}

// --- ping, nc, redis-cli --------------------------------------------------------------

export const ping: Applet = function* (c) {
  const o = parseOpts(c.argv.slice(1), { flags: 'qn46', withArg: 'cWwisIt' });
  const host = o.rest[0];
  if (!host) {
    yield* err(c, c.profile.gnu ? 'usage error: Destination address required' : 'usage: ping [OPTIONS] HOST');
    return c.profile.gnu ? 2 : 1;
  }
  const ips = isIPv4(host) ? [host] : resolveName(c, host);
  if (!ips) {
    yield* err(c, c.profile.gnu ? `${host}: Name or service not known` : `bad address '${host}'`);
    return c.profile.gnu ? 2 : 1;
  }
  const ip = ips[0];
  const count = typeof o.o.c === 'string' ? Number(o.o.c) : Infinity;
  const interval = typeof o.o.i === 'string' ? Number(o.o.i) * 1000 : 1000;
  const deadline = typeof o.o.w === 'string' ? c.k.clock + Number(o.o.w) * 1000 : Infinity;
  const gnu = c.profile.gnu;
  yield* out(c, gnu ? `PING ${host} (${ip}) 56(84) bytes of data.\n` : `PING ${host} (${ip}): 56 data bytes\n`);
  const rtts: number[] = [];
  let sent = 0;
  const start = c.k.clock;
  for (let seq = 0; seq < count && c.k.clock < deadline; seq++) {
    const rtt = c.k.ping(ip);
    sent++;
    if (rtt !== null) {
      rtts.push(rtt);
      if (!o.o.q) yield* out(c, gnu ? `64 bytes from ${ip}: icmp_seq=${seq + 1} ttl=64 time=${rtt.toFixed(3)} ms\n` : `64 bytes from ${ip}: seq=${seq} ttl=64 time=${rtt.toFixed(3)} ms\n`);
    }
    if (seq + 1 < count) yield { k: 'time', ms: interval };
    else yield { k: 'time', ms: rtt !== null ? Math.max(1, Math.round(rtt)) : 1000 };
  }
  const loss = sent ? Math.round(((sent - rtts.length) * 100) / sent) : 0;
  let t = `\n--- ${host} ping statistics ---\n`;
  if (gnu) t += `${sent} packets transmitted, ${rtts.length} received, ${loss}% packet loss, time ${c.k.clock - start}ms\n`;
  else t += `${sent} packets transmitted, ${rtts.length} packets received, ${loss}% packet loss\n`;
  if (rtts.length) {
    const min = Math.min(...rtts);
    const max = Math.max(...rtts);
    const avg = rtts.reduce((a, b) => a + b, 0) / rtts.length;
    if (gnu) {
      const mdev = Math.sqrt(rtts.reduce((a, b) => a + (b - avg) ** 2, 0) / rtts.length);
      t += `rtt min/avg/max/mdev = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)}/${mdev.toFixed(3)} ms\n`;
    } else t += `round-trip min/avg/max = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)} ms\n`;
  }
  yield* out(c, t);
  return rtts.length ? 0 : 1;
};

export const nc: Applet = function* (c) {
  const o = parseOpts(c.argv.slice(1), { flags: 'zvnlkuN', withArg: 'wpesiq' });
  if (o.o.l) {
    // A listener: it waits for connections the simulation never makes.
    for (;;) yield { k: 'block' };
  }
  const [host, portS] = o.rest;
  if (!host || !portS) {
    yield* err(c, 'usage: nc [OPTIONS] HOST PORT');
    return 1;
  }
  const port = Number(portS);
  const ips = isIPv4(host) ? [host] : resolveName(c, host);
  if (!ips) {
    yield* err(c, `bad address '${host}'`);
    return 1;
  }
  const ip = ips[0];
  const wait = typeof o.o.w === 'string' ? Number(o.o.w) * 1000 : 130000;
  const input = c.fds.get(0);
  const data = !o.o.z && input && input.kind === 'in' ? yield* readAll(input, c.k.limits.maxStringBytes) : '';
  const m = /^([A-Z]+) (\S+) HTTP\/1\.[01]\r?\n([\s\S]*?)\r?\n\r?\n([\s\S]*)$/.exec(data);
  if (m) {
    const hdrs: Record<string, string> = {};
    for (const l of m[3].split(/\r?\n/)) {
      const i = l.indexOf(':');
      if (i > 0) hdrs[l.slice(0, i).trim()] = l.slice(i + 1).trim();
    }
    const url: Url = { scheme: 'http', host: hdrs.Host?.split(':')[0] ?? host, port, explicitPort: port !== 80, path: m[2] };
    const r = yield* fetchOnce(c, { ...url, host: ip }, m[1], hdrs, m[4] || undefined, wait);
    if (r.k === 'ok') {
      yield* out(c, headerBlock(r) + r.body);
      return 0;
    }
    if (r.k === 'error' && r.error === 'timeout') return 1;
    yield* err(c, `can't connect to remote host (${ip}): Connection refused`);
    return 1;
  }
  const r = c.k.tcp(ip, port);
  if (r === 'open') {
    if (o.o.v) yield* errOut(c, `${host} (${ip}:${port}) open\n`);
    return 0;
  }
  if (r === 'timeout') {
    yield { k: 'time', ms: wait };
    if (o.o.v) yield* errOut(c, `nc: ${host} (${ip}:${port}): Connection timed out\n`);
    return 1;
  }
  yield* err(c, `can't connect to remote host (${ip}): Connection refused`);
  return 1;
};

export const redisCli: Applet = function* (c) {
  const o = parseOpts(c.argv.slice(1), { flags: 'c', withArg: 'hpanr', posix: true });
  const host = typeof o.o.h === 'string' ? o.o.h : '127.0.0.1';
  const port = typeof o.o.p === 'string' ? Number(o.o.p) : 6379;
  const ips = isIPv4(host) ? [host] : resolveName(c, host);
  const cmd = o.rest.map((x) => x.toUpperCase());
  if (!ips) {
    yield* out(c, `Could not connect to Redis at ${host}:${port}: Name or service not known\n`);
    return 1;
  }
  const r = c.k.tcp(ips[0], port);
  if (r !== 'open') {
    yield* out(c, `Could not connect to Redis at ${host}:${port}: ${r === 'timeout' ? 'Connection timed out' : 'Connection refused'}\n`);
    return 1;
  }
  if (cmd[0] === 'PING') yield* out(c, cmd[1] ? o.rest[1] + '\n' : 'PONG\n');
  else if (!cmd.length) for (;;) yield { k: 'block' };
  else yield* out(c, `(error) ERR kubemu does not simulate the command '${o.rest[0]}'\n`);
  return 0;
};

export { hostsLookup };
