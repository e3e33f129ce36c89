import * as fs from 'node:fs';
import type { Output } from '../command';
import type { Session } from '../session';
import type { KubeObject } from '../../api/types';
import { kind } from '../../api/registry';
import { nodeInternalIP } from '../../cluster/nodes';
import { tabwrite } from '../../printers/tabwriter';
import { hostCurl } from './host-curl';
import { nodeHostPath } from '../../sim/kubelet/security';

// `kubemu sim docker ps|exec`: the docker commands the seccomp tutorial runs
// against a kind cluster's node containers. `ps` lists the simulated nodes as
// kind's containers; `exec <node> ls PATH` lists what the node sees of its
// bind mounts (the host directories its extraMounts name); `exec <node> curl`
// is curl inside the node (localhost is the node, where kube-proxy answers on
// every NodePort). Nothing else runs in a node.

// Docker's own messages, printed as docker prints them (no "error:" prefix).
class DockerError extends Error {}

interface NodeContainer {
  id: string;
  node: KubeObject;
}

function nodeContainers(session: Session): { nodes: NodeContainer[]; image: string; port: number; now: number } {
  const none = { nodes: [], image: '', port: 0, now: 0 };
  // No cluster is made for the asking: without one there are no node containers.
  if (!session.store.exists()) return none;
  return session.read((api) => {
    const cluster = api.world.state.kind;
    if (!cluster) return none;
    return {
      // A container ID is 64 hex digits; the node's uid gives a stable one.
      nodes: api.peekList(kind('Node')).map((node) => ({ id: (node.metadata.uid ?? '').replace(/-/g, '').padEnd(64, '0'), node })),
      image: cluster.nodeImage.replace(/@sha256:[0-9a-f]+$/, ''),
      port: cluster.apiServerPort,
      now: api.now(),
    };
  });
}

// github.com/docker/go-units HumanDuration.
function dockerHumanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(seconds / 60);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(ms / 3_600_000);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(ms / 3_600_000 / 24 / 365)} years`;
}

function ps(session: Session, io: Output): number {
  const { nodes, image, port, now } = nodeContainers(session);
  let text = 'CONTAINER ID\tIMAGE\tCOMMAND\tCREATED\tSTATUS\tPORTS\tNAMES\n';
  // Newest first; kind starts its nodes together.
  for (const { id, node } of [...nodes].reverse()) {
    const age = now - Date.parse(node.metadata.creationTimestamp ?? '');
    const controlPlane = (node.metadata.name ?? '').endsWith('-control-plane');
    text += `${id.slice(0, 12)}\t${image}\t"/usr/local/bin/entr…"\t${dockerHumanDuration(age)} ago\tUp ${dockerHumanDuration(age - 3000)}\t${controlPlane ? `127.0.0.1:${port}->6443/tcp` : ''}\t${node.metadata.name}\n`;
  }
  io.out(tabwrite(text, { minwidth: 10, padding: 3 }));
  return 0;
}

// ls of a node path: only what its bind mounts bring is there to list.
function ls(session: Session, node: KubeObject, args: string[], tty: boolean, io: Output): number {
  const paths = args.filter((a) => !a.startsWith('-'));
  let status = 0;
  for (const p of paths.length ? paths : ['/']) {
    const host = session.read((api) => nodeHostPath(api.world.state, node.metadata.name ?? '', p));
    let names: string[] | undefined;
    try {
      names = host && fs.statSync(host).isDirectory() ? fs.readdirSync(host).filter((n) => !n.startsWith('.')).sort() : undefined;
    } catch {
      names = undefined;
    }
    if (!names) {
      io.err(`ls: cannot access '${p}': No such file or directory\n`);
      status = 2;
      continue;
    }
    io.out(names.length === 0 ? '' : tty ? `${names.join('  ')}\n` : names.map((n) => `${n}\n`).join(''));
  }
  return status;
}

function exec(session: Session, args: string[], io: Output): number {
  let i = 0;
  let interactive = false;
  let terminal = false;
  for (; i < args.length && args[i].startsWith('-'); i++) {
    const a = args[i];
    if (a === '-i' || a === '--interactive') interactive = true;
    else if (a === '-t' || a === '--tty') terminal = true;
    else if (/^-[it]+$/.test(a)) {
      interactive ||= a.includes('i');
      terminal ||= a.includes('t');
    } else throw new DockerError(`unknown shorthand flag: '${a.replace(/^-+/, '')[0]}' in ${a}\nSee 'docker exec --help'.`);
  }
  const [target, cmd, ...rest] = args.slice(i);
  if (!target || !cmd) throw new DockerError(`"docker exec" requires at least 2 arguments.\nSee 'docker exec --help'.`);
  const found = nodeContainers(session).nodes.find((n) => n.node.metadata.name === target || (target.length >= 1 && n.id.startsWith(target)));
  if (!found) throw new DockerError(`Error response from daemon: No such container: ${target}`);
  if (interactive && terminal && !process.stdin.isTTY) throw new DockerError('the input device is not a TTY');
  if (cmd === 'ls') return ls(session, found.node, rest, terminal, io);
  if (cmd === 'curl') return hostCurl(session, rest, io, nodeInternalIP(found.node));
  io.err(`kubemu: "${cmd}" is not simulated inside a kind node (ls and curl are)\n`);
  return 126;
}

export function runDocker(session: Session, args: string[], io: Output): number {
  const [sub, ...rest] = args;
  try {
    if (sub === 'ps') return ps(session, io);
    if (sub === 'exec') return exec(session, rest, io);
    throw new DockerError('usage: kubemu sim docker ps | kubemu sim docker exec [-it] NODE ls PATH | curl ARGS');
  } catch (e) {
    if (!(e instanceof DockerError)) throw e;
    io.err(`${e.message}\n`);
    return 1;
  }
}
