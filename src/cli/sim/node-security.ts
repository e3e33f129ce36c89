import * as fs from 'node:fs';
import type { Output } from '../command';
import type { Session } from '../session';
import type { ApiServer } from '../../api/server';
import type { KubeObject } from '../../api/types';
import { kind } from '../../api/registry';
import { CliError } from '../errors';
import { loadedProfiles, nodeHost, parseAppArmorProfiles } from '../../sim/kubelet/security';

// `kubemu sim apparmor ...` and `kubemu sim syslog`: what a user would do on a
// node over ssh in the security tutorials. `apparmor load` stands in for
// `sudo apparmor_parser -q <<EOF ... EOF` (the profile text is parsed, never
// run), `apparmor profiles` for `cat /sys/kernel/security/apparmor/profiles
// | sort`, and `syslog` for `tail /var/log/syslog` (the seccomp audit records
// of SCMP_ACT_LOG containers).

// A node by name or by one of its addresses (the tutorial loops over Hostname addresses).
function findNode(api: ApiServer, which: string | undefined): KubeObject {
  const nodes = api.peekList(kind('Node'));
  if (which === undefined) {
    if (nodes.length === 1) return nodes[0];
    throw new CliError(`error: the cluster has ${nodes.length} nodes; name one: ${nodes.map((n) => n.metadata.name).join(', ')}`);
  }
  const addresses = (n: KubeObject) => ((n.status as { addresses?: { address: string }[] } | undefined)?.addresses ?? []).map((a) => a.address);
  const node = nodes.find((n) => n.metadata.name === which) ?? nodes.find((n) => addresses(n).includes(which));
  if (!node) throw new CliError(`error: node "${which}" not found`);
  return node;
}

function readInput(file: string | undefined, stdin: () => string): string {
  if (file === undefined || file === '-') return stdin();
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`apparmor_parser: File ${file} not found, skipping...`);
  }
}

export function runAppArmor(session: Session, args: string[], io: Output, stdin: () => string): number {
  const [sub, nodeArg, file] = args;
  session.ensureCluster();
  if (sub === 'profiles') {
    const lines = session.read((api) => {
      const node = findNode(api, nodeArg);
      return Object.entries(loadedProfiles(api.world.state, node)).map(([name, p]) => `${name} (${p.mode})`);
    });
    io.out(lines.sort().map((l) => `${l}\n`).join(''));
    return 0;
  }
  if (sub === 'load') {
    const parsed = parseAppArmorProfiles(readInput(file, stdin));
    if (typeof parsed === 'string') throw new CliError(parsed);
    session.write((api) => {
      const node = findNode(api, nodeArg);
      const host = nodeHost(api.world.state, node.metadata.name ?? '');
      // apparmor_parser replaces a profile of the same name.
      host.apparmor = { ...loadedProfiles(api.world.state, node), ...parsed };
      api.dirty = true;
    });
    return 0;
  }
  throw new CliError('error: usage: kubemu sim apparmor profiles [NODE] | kubemu sim apparmor load NODE [FILE|-]');
}

export function runSyslog(session: Session, args: string[], io: Output): number {
  session.ensureCluster();
  const lines = session.read((api) => {
    const node = findNode(api, args[0]);
    return api.world.state.nodeHosts?.[node.metadata.name ?? '']?.syslog ?? [];
  });
  io.out(lines.map((l) => `${l}\n`).join(''));
  return 0;
}
