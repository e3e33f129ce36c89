import type { Container } from 'kubernetes-types/core/v1';
import { kind } from '../../../api/registry';
import { lookupImage } from '..';
import type { ToolResult } from '../../shell';
import type { AppContext, Tool } from './types';
import { appSlot, globMatch, listening, splitLine, targetPod } from './common';
import type { P } from './common';

// redis-cli against the simulated Redis servers. Each server's configuration is
// its config file as read at start (plus `--name value` arguments and CONFIG
// SET since), its keys live in appData per pod. Replies are printed as
// redis-cli prints them: the quoted, numbered format on a terminal, one value
// per line otherwise.

// --- replies ------------------------------------------------------------------------

type Reply =
  | { t: 'status'; s: string }
  | { t: 'error'; s: string }
  | { t: 'int'; n: number }
  | { t: 'bulk'; s: string }
  | { t: 'nil' }
  | { t: 'array'; items: Reply[] }
  // INFO and the like: printed as is, whatever the output mode.
  | { t: 'verbatim'; s: string };

const status = (s: string): Reply => ({ t: 'status', s });
const error = (s: string): Reply => ({ t: 'error', s });
const int = (n: number): Reply => ({ t: 'int', n });
const bulk = (s: string | undefined): Reply => (s === undefined ? { t: 'nil' } : { t: 'bulk', s });
const array = (items: Reply[]): Reply => ({ t: 'array', items });

// sdscatrepr: a quoted string with C escapes.
function repr(s: string): string {
  let out = '"';
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (ch === '\\' || ch === '"') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (byte === 7) out += '\\a';
    else if (byte === 8) out += '\\b';
    else if (byte >= 0x20 && byte < 0x7f) out += ch;
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `${out}"`;
}

function formatTTY(r: Reply, prefix: string, v: Version): string {
  switch (r.t) {
    case 'error':
      return `(error) ${r.s}\n`;
    case 'status':
      return `${r.s}\n`;
    case 'int':
      return `(integer) ${r.n}\n`;
    case 'bulk':
      return `${repr(r.s)}\n`;
    case 'verbatim':
      return r.s;
    case 'nil':
      return '(nil)\n';
    case 'array': {
      if (r.items.length === 0) return v.major >= 6 ? '(empty array)\n' : '(empty list or set)\n';
      const idxlen = String(r.items.length).length;
      const inner = prefix + ' '.repeat(idxlen + 2);
      let out = '';
      r.items.forEach((item, i) => {
        out += `${i === 0 ? '' : prefix}${String(i + 1).padStart(idxlen)}) `;
        out += formatTTY(item, inner, v);
      });
      return out;
    }
  }
}

function formatRaw(r: Reply): string {
  switch (r.t) {
    case 'nil':
      return '';
    case 'error':
      return `${r.s}\n`;
    case 'status':
    case 'bulk':
    case 'verbatim':
      return r.s;
    case 'int':
      return String(r.n);
    case 'array':
      return r.items.map(formatRaw).join('\n');
  }
}

function format(r: Reply, raw: boolean, v: Version): string {
  if (r.t === 'verbatim') return r.s;
  return raw ? `${formatRaw(r)}\n` : formatTTY(r, '', v);
}

// --- the server ---------------------------------------------------------------------

interface Version {
  text: string;
  major: number;
  minor: number;
}

// The Redis a tag ships.
const VERSIONS: Record<string, string> = {
  '5': '5.0.14',
  '5.0.4': '5.0.4',
  '6': '6.2.17',
  '6.0.5': '6.0.5',
  '6.2': '6.2.17',
  '7': '7.4.2',
  '7.0': '7.0.15',
  '7.2': '7.2.7',
  '7.4': '7.4.2',
  '8.0.2': '8.0.2',
  e2e: '5.0.5',
  v1: '3.2.5',
  v2: '3.2.5',
  v3: '3.2.5',
};

// Images whose name decides more than their tag: the current guestbook's
// follower is built on redis:6.0.5, the old gb-redisslave on Redis 3.2.
const IMAGE_VERSIONS: [RegExp, string][] = [[/gb-redis-follower/, '6.0.5']];

function versionOf(image: string): Version {
  const tag = lookupImage(image).ref.tag;
  const text = IMAGE_VERSIONS.find(([re]) => re.test(image))?.[1] ?? VERSIONS[tag] ?? '7.4.2';
  const [major, minor] = text.split('.').map(Number);
  return { text, major, minor };
}

const atLeast = (v: Version, major: number, minor = 0) => v.major > major || (v.major === major && v.minor >= minor);

// Parameters CONFIG GET knows, with the defaults of the Docker images (which
// build Redis with protected-mode off).
function defaults(v: Version): Record<string, string> {
  const d: Record<string, string> = {
    appendfilename: 'appendonly.aof',
    appendfsync: 'everysec',
    appendonly: 'no',
    bind: atLeast(v, 7) ? '* -::*' : '',
    daemonize: 'no',
    databases: '16',
    dbfilename: 'dump.rdb',
    dir: '/data',
    hz: '10',
    logfile: '',
    loglevel: 'notice',
    maxclients: '10000',
    maxmemory: '0',
    'maxmemory-policy': 'noeviction',
    'maxmemory-samples': '5',
    port: '6379',
    'protected-mode': 'no',
    requirepass: '',
    save: atLeast(v, 7) ? '3600 1 300 100 60 10000' : '900 1 300 10 60 10000',
    'slowlog-log-slower-than': '10000',
    'slowlog-max-len': '128',
    'tcp-backlog': '511',
    'tcp-keepalive': '300',
    timeout: '0',
  };
  if (atLeast(v, 5)) d['replica-read-only'] = 'yes';
  else d['slave-read-only'] = 'yes';
  if (atLeast(v, 6, 2)) d['maxmemory-eviction-tenacity'] = '10';
  if (atLeast(v, 7)) d['maxmemory-clients'] = '0';
  return d;
}

const MEMORY_PARAMS = new Set(['maxmemory', 'maxmemory-clients', 'client-query-buffer-limit', 'proto-max-bulk-len']);

// memtoll: "2mb" = 2097152, "1k" = 1000.
function memToBytes(v: string): string {
  const m = /^(-?\d+)(b|k|kb|m|mb|g|gb)?$/i.exec(v.trim());
  if (!m) return v;
  const mul: Record<string, number> = { b: 1, k: 1000, kb: 1024, m: 1000 ** 2, mb: 1024 ** 2, g: 1000 ** 3, gb: 1024 ** 3 };
  return String(Number(m[1]) * mul[(m[2] ?? 'b').toLowerCase()]);
}

// The value CONFIG GET shows for a configured value.
function normalise(name: string, value: string): string {
  if (MEMORY_PARAMS.has(name)) return memToBytes(value);
  if (/^(yes|no)$/i.test(value)) return value.toLowerCase();
  if (name === 'maxmemory-policy' || name === 'loglevel' || name === 'appendfsync') return value.toLowerCase();
  return value;
}

// A redis.conf and the `--name value` arguments after it, as the server reads them.
function parseConfig(text: string, args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const set = (words: string[]) => {
    if (words.length === 0) return;
    const name = words[0].toLowerCase();
    if (name === 'include' || name === 'rename-command') return;
    const value = words.slice(1).join(' ');
    // `save` lines accumulate; `save ""` clears.
    if (name === 'save' && out.save !== undefined && value !== '') out.save = `${out.save} ${value}`;
    else out[name] = value === '""' ? '' : value;
  };
  for (const line of text.split('\n')) {
    const l = line.trim();
    if (l === '' || l.startsWith('#')) continue;
    set(splitLine(l) ?? l.split(/\s+/));
  }
  let cur: string[] = [];
  for (const a of args) {
    if (a.startsWith('--')) {
      set(cur);
      cur = [a.slice(2)];
    } else cur.push(a);
  }
  set(cur);
  return out;
}

interface Keyspace {
  uid: string;
  startedAt: number;
  dbs: Record<string, Record<string, string>>;
  // CONFIG SET since the server started.
  set: Record<string, string>;
}

interface Server {
  pod: P;
  container: Container;
  version: Version;
  config: Record<string, string>;
  space: Keyspace;
  // A replica serves its master's keys and refuses writes.
  replicaOf?: Keyspace;
  startedAt: number;
  confPath: string;
}

function redisContainer(pod: P): Container | undefined {
  return (pod.spec?.containers ?? []).find((c) => lookupImage(c.image ?? '').entry?.tools?.includes('redis-cli'));
}

function keyspaceOf(ctx: AppContext, pod: P, startedAt: number): Keyspace {
  const key = `redis:${pod.metadata.namespace}/${pod.metadata.name}`;
  const uid = pod.metadata.uid ?? '';
  const slot = appSlot<Keyspace>(ctx, key, () => ({ uid, startedAt, dbs: {}, set: {} }));
  // A new pod is a new server with empty data; a restarted container keeps its
  // data (saved to /data on shutdown) but forgets CONFIG SET.
  if (slot.uid !== uid) Object.assign(slot, { uid, startedAt, dbs: {}, set: {} });
  if (slot.startedAt !== startedAt) Object.assign(slot, { startedAt, set: {} });
  return slot;
}

// The guestbook's followers replicate the master Service of their namespace.
function masterOf(ctx: AppContext, pod: P, c: Container): Keyspace | undefined {
  if (!/gb-redis(slave|-follower)/.test(lookupImage(c.image ?? '').ref.repository)) return undefined;
  const api = ctx.api;
  for (const name of ['redis-leader', 'redis-master']) {
    if (!api.peek(kind('Service'), pod.metadata.namespace, name)) continue;
    const target = targetPod(api, pod, name);
    if (!target || target === 'unknown' || target === pod) continue;
    const mc = redisContainer(target);
    const rt = api.world.state.runtime[target.metadata.uid ?? ''];
    const crt = rt?.containers.find((x) => x.name === mc?.name && !x.init);
    if (crt) return keyspaceOf(ctx, target, crt.startedAt ?? 0);
  }
  return undefined;
}

function serverOf(ctx: AppContext, pod: P): Server | undefined {
  const c = redisContainer(pod);
  if (!c) return undefined;
  const rt = ctx.api.world.state.runtime[pod.metadata.uid ?? ''];
  const crt = rt?.containers.find((x) => x.name === c.name && !x.init);
  if (!crt) return undefined;
  const version = versionOf(c.image ?? '');
  const argv = crt.argv ?? [];
  const files = crt.startFiles ?? {};
  // redis-server [/path/redis.conf] [--name value ...]
  const rest = argv.slice(argv[0]?.endsWith('redis-server') ? 1 : 0);
  const confPath = rest[0] && !rest[0].startsWith('--') ? rest[0] : undefined;
  const conf = parseConfig(confPath ? (files[confPath] ?? '') : '', confPath ? rest.slice(1) : rest);
  const startedAt = crt.startedAt ?? 0;
  const space = keyspaceOf(ctx, pod, startedAt);
  const replicaOf = masterOf(ctx, pod, c);
  return { pod, container: c, version, config: { ...defaults(version), ...conf, ...space.set }, space, replicaOf, startedAt, confPath: confPath ?? '' };
}

// --- commands -----------------------------------------------------------------------

// Arity as Redis declares it: n exactly, -n at least.
const ARITY: Record<string, number> = {
  ping: -1, echo: 2, config: -2, set: -3, get: 2, del: -2, unlink: -2, exists: -2, keys: 2, incr: 2, decr: 2, incrby: 3, decrby: 3, append: 3,
  strlen: 2, dbsize: 1, flushall: -1, flushdb: -1, type: 2, ttl: 2, pttl: 2, select: 2, info: -1, auth: -2, mget: -2, mset: -3, setnx: 3,
  getset: 3, expire: -3, persist: 2, randomkey: 1, time: 1, role: 1, lastsave: 1, save: 1, bgsave: -1, command: -1, client: -2, quit: -1,
};
const WRITES = new Set(['set', 'del', 'unlink', 'incr', 'decr', 'incrby', 'decrby', 'append', 'flushall', 'flushdb', 'mset', 'setnx', 'getset', 'expire', 'persist']);

function unknownCommand(v: Version, argv: string[]): string {
  const name = argv[0];
  const rest = argv.slice(1);
  if (atLeast(v, 6, 2)) {
    let args = '';
    for (const a of rest) {
      if (args.length >= 128) break;
      args += `'${a.slice(0, 128 - args.length)}' `;
    }
    return `ERR unknown command '${name.slice(0, 128)}', with args beginning with: ${args}`;
  }
  if (atLeast(v, 5)) {
    let args = '';
    for (const a of rest) {
      if (args.length >= 128) break;
      args += `\`${a.slice(0, 128 - args.length)}\`, `;
    }
    return `ERR unknown command \`${name.slice(0, 128)}\`, with args beginning with: ${args}`;
  }
  return `ERR unknown command '${name}'`;
}

function notInteger(): Reply {
  return error('ERR value is not an integer or out of range');
}

function configCommand(s: Server, argv: string[]): Reply {
  const sub = (argv[1] ?? '').toLowerCase();
  const v = s.version;
  const wrongArgs = (fullname: string) =>
    error(atLeast(v, 7) ? `ERR wrong number of arguments for '${fullname}' command` : `ERR Unknown subcommand or wrong number of arguments for '${argv[1]}'. Try CONFIG HELP.`);
  if (sub === 'get') {
    const patterns = argv.slice(2);
    if (patterns.length === 0 || (!atLeast(v, 7) && patterns.length !== 1)) return wrongArgs('config|get');
    const names = Object.keys(s.config).sort();
    const out: Reply[] = [];
    const seen = new Set<string>();
    for (const p of patterns) {
      for (const n of names) {
        if (seen.has(n) || !globMatch(p, n, true)) continue;
        seen.add(n);
        out.push(bulk(n), bulk(normalise(n, s.config[n])));
      }
    }
    return array(out);
  }
  if (sub === 'set') {
    if (argv.length < 4 || (argv.length - 2) % 2 !== 0) return wrongArgs('config|set');
    for (let i = 2; i < argv.length; i += 2) {
      const name = argv[i].toLowerCase();
      if (!(name in s.config)) {
        return error(atLeast(v, 7) ? `ERR Unknown option or number of arguments for CONFIG SET - '${argv[i]}'` : `ERR Unsupported CONFIG parameter: ${argv[i]}`);
      }
      s.space.set[name] = argv[i + 1];
      s.config[name] = argv[i + 1];
    }
    return status('OK');
  }
  if (sub === 'resetstat' || sub === 'rewrite') return status('OK');
  if (atLeast(v, 7)) return error(`ERR unknown subcommand '${argv[1] ?? ''}'. Try CONFIG HELP.`);
  return error(`ERR Unknown subcommand or wrong number of arguments for '${argv[1] ?? ''}'. Try CONFIG HELP.`);
}

function infoText(s: Server, now: number, section: string | undefined): string {
  const v = s.version;
  const uptime = Math.max(0, Math.floor((now - s.startedAt) / 1000));
  const keys = Object.entries((s.replicaOf ?? s.space).dbs).filter(([, db]) => Object.keys(db).length > 0);
  const conf = s.config;
  const server = [
    '# Server',
    `redis_version:${v.text}`,
    'redis_git_sha1:00000000',
    'redis_git_dirty:0',
    'redis_mode:standalone',
    'os:Linux 5.15.0 x86_64',
    'arch_bits:64',
    'process_id:1',
    `tcp_port:${conf.port}`,
    `uptime_in_seconds:${uptime}`,
    `uptime_in_days:${Math.floor(uptime / 86400)}`,
    `hz:${conf.hz}`,
    `executable:${conf.dir}/redis-server`,
    `config_file:${s.confPath}`,
  ];
  const replication = ['# Replication', `role:${s.replicaOf ? 'slave' : 'master'}`, 'connected_slaves:0'];
  const keyspace = ['# Keyspace', ...keys.map(([db, m]) => `db${db}:keys=${Object.keys(m).length},expires=0,avg_ttl=0`)];
  const sections: Record<string, string[]> = { server, replication, keyspace };
  const wanted = section?.toLowerCase();
  const chosen = wanted === undefined || wanted === 'all' || wanted === 'default' || wanted === 'everything' ? [server, replication, keyspace] : sections[wanted] ? [sections[wanted]] : [];
  return chosen.map((lines) => lines.map((l) => `${l}\r\n`).join('')).join('\r\n');
}

interface Session {
  db: string;
  authed: boolean;
}

function execute(ctx: AppContext, s: Server, sess: Session, argv: string[]): Reply {
  const v = s.version;
  const name = argv[0].toLowerCase();
  const arity = ARITY[name];
  if (arity === undefined) return error(unknownCommand(v, argv));
  if (s.config.requirepass && !sess.authed && name !== 'auth') return error('NOAUTH Authentication required.');
  if ((arity > 0 && argv.length !== arity) || (arity < 0 && argv.length < -arity)) return error(`ERR wrong number of arguments for '${name}' command`);
  const space = s.replicaOf ?? s.space;
  // Redis 5 renamed slaves to replicas, in its messages too.
  if (WRITES.has(name) && s.replicaOf) return error(`READONLY You can't write against a read only ${atLeast(v, 5) ? 'replica' : 'slave'}.`);
  const db = (space.dbs[sess.db] ??= {});
  ctx.api.dirty = true;
  const toInt = (x: string): number | undefined => (/^-?\d+$/.test(x) && Math.abs(Number(x)) <= Number.MAX_SAFE_INTEGER ? Number(x) : undefined);
  switch (name) {
    case 'ping':
      if (argv.length > 2) return error(`ERR wrong number of arguments for '${name}' command`);
      return argv.length === 2 ? bulk(argv[1]) : status('PONG');
    case 'echo':
      return bulk(argv[1]);
    case 'auth': {
      const pass = argv[argv.length - 1];
      if (!s.config.requirepass) {
        return error(atLeast(v, 6) ? 'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?' : 'ERR Client sent AUTH, but no password is set');
      }
      if (pass !== s.config.requirepass) return error(atLeast(v, 6) ? 'WRONGPASS invalid username-password pair or user is disabled.' : 'ERR invalid password');
      sess.authed = true;
      return status('OK');
    }
    case 'select': {
      const n = toInt(argv[1]);
      if (n === undefined) return notInteger();
      if (n < 0 || n >= Number(s.config.databases)) return error('ERR DB index is out of range');
      sess.db = String(n);
      return status('OK');
    }
    case 'config':
      return configCommand(s, argv);
    case 'info':
      return { t: 'verbatim', s: infoText(s, ctx.now, argv[1]) };
    case 'set': {
      let nx = false;
      let xx = false;
      let get = false;
      for (let i = 3; i < argv.length; i++) {
        const o = argv[i].toLowerCase();
        if (o === 'nx') nx = true;
        else if (o === 'xx') xx = true;
        else if (o === 'get') get = true;
        else if ((o === 'ex' || o === 'px' || o === 'exat' || o === 'pxat') && i + 1 < argv.length) {
          if (toInt(argv[++i]) === undefined) return notInteger();
        } else if (o === 'keepttl') continue;
        else return error('ERR syntax error');
      }
      if (nx && xx) return error('ERR syntax error');
      const old = db[argv[1]];
      if ((nx && old !== undefined) || (xx && old === undefined)) return get ? bulk(old) : { t: 'nil' };
      db[argv[1]] = argv[2];
      return get ? bulk(old) : status('OK');
    }
    case 'setnx':
      if (db[argv[1]] !== undefined) return int(0);
      db[argv[1]] = argv[2];
      return int(1);
    case 'getset': {
      const old = db[argv[1]];
      db[argv[1]] = argv[2];
      return bulk(old);
    }
    case 'get':
      return bulk(db[argv[1]]);
    case 'mget':
      return array(argv.slice(1).map((k) => bulk(db[k])));
    case 'mset':
      if (argv.length % 2 === 0) return error(`ERR wrong number of arguments for '${name}' command`);
      for (let i = 1; i < argv.length; i += 2) db[argv[i]] = argv[i + 1];
      return status('OK');
    case 'del':
    case 'unlink': {
      let n = 0;
      for (const k of argv.slice(1)) {
        if (db[k] !== undefined) {
          delete db[k];
          n++;
        }
      }
      return int(n);
    }
    case 'exists':
      return int(argv.slice(1).filter((k) => db[k] !== undefined).length);
    case 'keys':
      return array(
        Object.keys(db)
          .filter((k) => globMatch(argv[1], k))
          .map((k) => bulk(k)),
      );
    case 'randomkey': {
      const ks = Object.keys(db);
      return bulk(ks.length ? ks[Math.floor(ctx.now / 1000) % ks.length] : undefined);
    }
    case 'incr':
    case 'decr':
    case 'incrby':
    case 'decrby': {
      const by = name === 'incr' ? 1 : name === 'decr' ? -1 : toInt(argv[2]);
      if (by === undefined) return notInteger();
      const cur = db[argv[1]] === undefined ? 0 : toInt(db[argv[1]]);
      if (cur === undefined) return notInteger();
      const next = cur + (name === 'decrby' ? -by : by);
      db[argv[1]] = String(next);
      return int(next);
    }
    case 'append':
      db[argv[1]] = (db[argv[1]] ?? '') + argv[2];
      return int(Buffer.byteLength(db[argv[1]]));
    case 'strlen':
      return int(db[argv[1]] === undefined ? 0 : Buffer.byteLength(db[argv[1]]));
    case 'dbsize':
      return int(Object.keys(db).length);
    case 'flushall':
      for (const k of Object.keys(space.dbs)) delete space.dbs[k];
      return status('OK');
    case 'flushdb':
      space.dbs[sess.db] = {};
      return status('OK');
    case 'type':
      return status(db[argv[1]] === undefined ? 'none' : 'string');
    case 'ttl':
    case 'pttl':
      return int(db[argv[1]] === undefined ? -2 : -1);
    case 'expire':
      return int(db[argv[1]] === undefined ? 0 : 1);
    case 'persist':
      return int(0);
    case 'time': {
      const sec = Math.floor(ctx.now / 1000);
      return array([bulk(String(sec)), bulk(String((ctx.now % 1000) * 1000))]);
    }
    case 'lastsave':
      return int(Math.floor(s.startedAt / 1000));
    case 'save':
      return status('OK');
    case 'bgsave':
      return status('Background saving started');
    case 'role':
      return s.replicaOf ? array([bulk('slave'), bulk('redis-master'), int(6379), bulk('connected'), int(0)]) : array([bulk('master'), int(0), array([])]);
    case 'command':
    case 'client':
      return argv[1]?.toLowerCase() === 'setname' ? status('OK') : array([]);
    default:
      return error(unknownCommand(v, argv));
  }
}

// A client library in another program (the guestbook's Predis): one command
// to host:port as seen from a pod, with no terminal; the reply as a string
// (null for a nil), or why there was no connection.
export type ClientAnswer = { reply: string | null } | { error: 'unknown' | 'refused' };

export function redisCall(ctx: AppContext, from: P, host: string, port: number, argv: string[]): ClientAnswer {
  const target = targetPod(ctx.api, from, host);
  if (target === 'unknown') return { error: 'unknown' };
  const server = target !== undefined && listening(ctx.api, target, port, ctx.now) ? serverOf(ctx, target) : undefined;
  if (!server) return { error: 'refused' };
  const r = execute(ctx, server, { db: '0', authed: false }, argv);
  return { reply: r.t === 'nil' ? null : formatRaw(r) };
}

// --- the client ---------------------------------------------------------------------

interface Options {
  host: string;
  port: number;
  auth?: string;
  db: number;
  raw?: boolean;
  repeat: number;
  rest: string[];
}

function parseOptions(argv: string[]): Options | { error: string } | 'version' {
  const o: Options = { host: '127.0.0.1', port: 6379, db: 0, repeat: 1, rest: [] };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    const last = i === argv.length - 1;
    if (a === '-h' && !last) o.host = next();
    else if (a === '-p' && !last) o.port = Number(next());
    else if ((a === '-a' || a === '--pass') && !last) o.auth = next();
    else if (a === '-n' && !last) o.db = Number(next());
    else if (a === '-r' && !last) o.repeat = Number(next());
    else if ((a === '-i' || a === '--user') && !last) next();
    else if (a === '-u' && !last) {
      const m = /^redis:\/\/(?:[^:@]*:([^@]*)@)?([^:/]*)(?::(\d+))?(?:\/(\d+))?$/.exec(next());
      if (!m) return { error: 'Invalid URI scheme\n' };
      if (m[1]) o.auth = m[1];
      if (m[2]) o.host = m[2];
      if (m[3]) o.port = Number(m[3]);
      if (m[4]) o.db = Number(m[4]);
    } else if (a === '--raw') o.raw = true;
    else if (a === '--no-raw') o.raw = false;
    else if (a === '-c' || a === '-e' || a === '--no-auth-warning' || a === '-3' || a === '-2') continue;
    else if (a === '-v' || a === '--version') return 'version';
    else if (a.startsWith('-') && a.length > 1) return { error: `Unrecognized option or bad number of args for: '${a}'\n` };
    else break;
  }
  o.rest = argv.slice(i);
  return o;
}

const redisCli: Tool = (ctx) => {
  const self = ctx.pod;
  const own = redisContainer(self);
  const clientVersion = versionOf(own?.image ?? ctx.container.image ?? '');
  const parsed = parseOptions(ctx.run.argv.slice(1));
  if (parsed === 'version') return { stdout: `redis-cli ${clientVersion.text}\n`, exitCode: 0 };
  if ('error' in parsed) return { stdout: '', stderr: parsed.error, exitCode: 1 };
  const o = parsed;
  const raw = o.raw ?? !ctx.tty;
  let stdout = '';
  let stderr = '';
  if (o.auth !== undefined) stderr += 'Warning: Using a password with \'-a\' or \'-u\' option on the command line interface may not be safe.\n';
  const target = targetPod(ctx.api, self, o.host);
  const refused = (): string =>
    `Could not connect to Redis at ${o.host}:${o.port}: ${target === 'unknown' ? 'Name or service not known' : 'Connection refused'}\n`;
  const up = target !== 'unknown' && target !== undefined && listening(ctx.api, target, o.port, ctx.now);
  const server = up ? serverOf(ctx, target) : undefined;
  const sess: Session = { db: String(o.db), authed: false };
  const run = (argv: string[]): void => {
    if (!server) {
      stderr += refused();
      return;
    }
    const r = execute(ctx, server, sess, argv);
    stdout += format(r, raw, clientVersion);
  };
  if (server && o.auth !== undefined) {
    const r = execute(ctx, server, sess, ['AUTH', o.auth]);
    if (r.t === 'error') stderr += `AUTH failed: ${r.s}\n`;
  }
  if (server && o.db !== 0) execute(ctx, server, sess, ['SELECT', String(o.db)]);

  if (o.rest.length > 0) {
    if (!server) return { stdout, stderr: stderr + refused(), exitCode: 1 };
    for (let i = 0; i < Math.max(1, o.repeat); i++) run(o.rest);
    return result(stdout, stderr, 0);
  }
  // No command: a session reading commands from standard input.
  if (!server && !ctx.tty) stderr += refused();
  for (const line of ctx.run.stdin.split('\n')) {
    const l = line.replace(/\r$/, '');
    if (l.trim() === '') continue;
    const words = splitLine(l);
    if (!words) {
      stdout += 'Invalid argument(s)\n';
      continue;
    }
    if (words.length === 0) continue;
    const first = words[0].toLowerCase();
    if (first === 'quit' || first === 'exit') break;
    let repeat = 1;
    if (words.length > 1 && /^\d+$/.test(words[0])) {
      repeat = Number(words.shift());
      if (repeat <= 0) {
        stdout += 'Invalid redis-cli repeat command option value.\n';
        continue;
      }
    }
    for (let i = 0; i < repeat; i++) run(words);
  }
  return result(stdout, stderr, 0);
};

function result(stdout: string, stderr: string, exitCode: number): ToolResult {
  return stderr ? { stdout, stderr, exitCode } : { stdout, exitCode };
}

export const REDIS_TOOLS: Record<string, Tool> = { 'redis-cli': redisCli };

