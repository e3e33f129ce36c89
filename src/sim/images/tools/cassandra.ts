import type { Container } from 'kubernetes-types/core/v1';
import { lookupImage } from '..';
import type { Tool, ToolContext } from './types';
import { appSlot, backingExists, dataBacking, listening, sha, siblings, targetPod, uuidFrom } from './common';
import type { P } from './common';

// nodetool for the Cassandra example image (Cassandra 3.11). The ring is the
// StatefulSet's pods whose Cassandra is up, plus the nodes seen before that are
// down now (their data still exists); each node's Host ID and tokens derive
// from the volume holding its data, so they stay when its pod is re-created.

const JMX_PORT = 7199;
const CQL_PORT = 9042;
const DATA_DIR = '/cassandra_data';
const NUM_TOKENS = 32;

const RELEASES: Record<string, string> = { v13: '3.11.2', v14: '3.11.4' };

interface RingNode {
  address: string;
  dc: string;
  rack: string;
  backing: string;
}

interface Ring {
  nodes: Record<string, RingNode>;
}

function cassandraContainer(pod: P): Container | undefined {
  return (pod.spec?.containers ?? []).find((c) => lookupImage(c.image ?? '').entry?.tools?.includes('nodetool'));
}

function envValue(c: Container, name: string): string | undefined {
  return c.env?.find((e) => e.name === name)?.value;
}

// The image's run.sh switches to GossipingPropertyFileSnitch when both are set;
// SimpleSnitch's names otherwise.
function location(c: Container): { dc: string; rack: string } {
  const dc = envValue(c, 'CASSANDRA_DC');
  const rack = envValue(c, 'CASSANDRA_RACK');
  return dc && rack ? { dc, rack } : { dc: 'datacenter1', rack: 'rack1' };
}

// A fraction of the token ring in [0, 1).
function token(hostId: string, i: number): number {
  return sha(`${hostId}/${i}`).readUInt32BE(0) / 2 ** 32;
}

interface Row {
  hostId: string;
  node: RingNode;
  up: boolean;
  owns: number;
  first: number;
}

// Effective ownership with the ring's replication: each range belongs to the
// node of the token ending it and to the next distinct nodes clockwise.
function ownership(hostIds: string[]): Map<string, { owns: number; first: number }> {
  const rf = Math.min(2, hostIds.length);
  const tokens = hostIds.flatMap((h) => Array.from({ length: NUM_TOKENS }, (_, i) => ({ t: token(h, i), h }))).sort((a, b) => a.t - b.t);
  const out = new Map(hostIds.map((h) => [h, { owns: 0, first: Infinity }]));
  tokens.forEach((tk, i) => {
    const prev = i === 0 ? tokens[tokens.length - 1].t - 1 : tokens[i - 1].t;
    const width = tk.t - prev;
    const replicas: string[] = [];
    for (let j = 0; j < tokens.length && replicas.length < rf; j++) {
      const h = tokens[(i + j) % tokens.length].h;
      if (!replicas.includes(h)) replicas.push(h);
    }
    for (const h of replicas) out.get(h)!.owns += width;
    const o = out.get(tk.h)!;
    o.first = Math.min(o.first, tk.t);
  });
  return out;
}

// FileUtils.stringifyFileSize with DecimalFormat("#.##").
function loadText(hostId: string): string {
  const kib = 60 + (sha(`load/${hostId}`).readUInt16BE(0) / 65536) * 60;
  return `${String(Math.round(kib * 100) / 100)} KiB`;
}

function ringOf(ctx: ToolContext, pod: P): Row[] {
  const api = ctx.api;
  const key = `cassandra:${pod.metadata.namespace}/${pod.metadata.ownerReferences?.find((o) => o.controller)?.name ?? pod.metadata.name}`;
  const ring = appSlot<Ring>(ctx, key, () => ({ nodes: {} }));
  // A node whose data is gone has left the ring.
  for (const [id, n] of Object.entries(ring.nodes)) if (!backingExists(api, n.backing)) delete ring.nodes[id];
  const up = new Set<string>();
  for (const p of siblings(api, pod)) {
    const c = cassandraContainer(p);
    if (!c || !p.status?.podIP || !listening(api, p, CQL_PORT, ctx.now)) continue;
    const backing = dataBacking(api, p, c.name, DATA_DIR);
    const hostId = uuidFrom(`cassandra-host/${backing}`);
    // Another node that had this address is gone (its address was reused).
    for (const [id, n] of Object.entries(ring.nodes)) if (id !== hostId && n.address === p.status.podIP) delete ring.nodes[id];
    ring.nodes[hostId] = { address: p.status.podIP, ...location(c), backing };
    up.add(hostId);
  }
  const ids = Object.keys(ring.nodes);
  const own = ownership(ids);
  return ids.map((id) => ({ hostId: id, node: ring.nodes[id], up: up.has(id), owns: own.get(id)!.owns, first: own.get(id)!.first }));
}

function statusText(rows: Row[]): string {
  const width = Math.max(0, ...rows.map((r) => r.node.address.length));
  const line = (cols: string[]) =>
    `${cols[0]}  ${cols[1].padEnd(width)}  ${cols[2].padEnd(9)}  ${cols[3].padEnd(11)}  ${cols[4].padEnd(16)}  ${cols[5].padEnd(36)}  ${cols[6]}\n`;
  const dcs = [...new Set(rows.map((r) => r.node.dc))].sort();
  let out = '';
  for (const dc of dcs) {
    const header = `Datacenter: ${dc}`;
    out += `${header}\n${'='.repeat(header.length)}\nStatus=Up/Down\n|/ State=Normal/Leaving/Joining/Moving\n`;
    out += line(['--', 'Address', 'Load', 'Tokens', 'Owns (effective)', 'Host ID', 'Rack']);
    for (const r of rows.filter((x) => x.node.dc === dc).sort((a, b) => a.first - b.first)) {
      out += line([r.up ? 'UN' : 'DN', r.node.address, loadText(r.hostId), String(NUM_TOKENS), `${(r.owns * 100).toFixed(1)}%`, r.hostId, r.node.rack]);
    }
  }
  return `${out}\n`;
}

const nodetool: Tool = (ctx) => {
  const args = ctx.run.argv.slice(1);
  let host = '127.0.0.1';
  let port = JMX_PORT;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if ((a === '-h' || a === '--host') && i + 1 < args.length) host = args[++i];
    else if ((a === '-p' || a === '--port') && i + 1 < args.length) port = Number(args[++i]);
    else if ((a === '-u' || a === '--username' || a === '-pw' || a === '--password') && i + 1 < args.length) i++;
    else rest.push(a);
  }
  const command = rest[0];
  const known = ['status', 'drain', 'version', 'describecluster', 'flush', 'cleanup'];
  if (command === undefined || !known.includes(command)) {
    return { stdout: '', stderr: `nodetool: Found unexpected parameters: [${rest.join(', ')}]\nSee 'nodetool help' or 'nodetool help <command>'.\n`, exitCode: 1 };
  }
  const target = targetPod(ctx.api, ctx.pod, host);
  const c = target && target !== 'unknown' ? cassandraContainer(target) : undefined;
  if (!target || target === 'unknown' || !c || !listening(ctx.api, target, port, ctx.now)) {
    const cause = target === 'unknown' ? `UnknownHostException: '${host}: Name or service not known'` : "ConnectException: 'Connection refused (Connection refused)'";
    return { stdout: '', stderr: `nodetool: Failed to connect to '${host}:${port}' - ${cause}.\n`, exitCode: 1 };
  }
  switch (command) {
    case 'status':
      return { stdout: statusText(ringOf(ctx, target)), exitCode: 0 };
    case 'version':
      return { stdout: `ReleaseVersion: ${RELEASES[lookupImage(c.image ?? '').ref.tag] ?? '3.11.2'}\n`, exitCode: 0 };
    case 'describecluster': {
      const name = envValue(c, 'CASSANDRA_CLUSTER_NAME') ?? 'Test Cluster';
      const { dc } = location(c);
      const snitch = dc === 'datacenter1' ? 'org.apache.cassandra.locator.SimpleSnitch' : 'org.apache.cassandra.locator.GossipingPropertyFileSnitch';
      const addrs = ringOf(ctx, target)
        .filter((r) => r.up)
        .map((r) => r.node.address);
      const schema = uuidFrom(`schema/${name}`);
      return {
        stdout: `Cluster Information:\n\tName: ${name}\n\tSnitch: ${snitch}\n\tDynamicEndPointSnitch: enabled\n\tPartitioner: org.apache.cassandra.dht.Murmur3Partitioner\n\tSchema versions:\n\t\t${schema}: [${addrs.join(', ')}]\n\n`,
        exitCode: 0,
      };
    }
    default:
      // drain, flush, cleanup: done, silently.
      return { stdout: '', exitCode: 0 };
  }
};

export const CASSANDRA_TOOLS: Record<string, Tool> = { nodetool };
