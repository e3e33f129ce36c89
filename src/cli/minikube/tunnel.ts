import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FlagDef } from '../flags';
import type { ApiServer } from '../../api/server';
import { kind } from '../../api/registry';
import { ServiceBalancer, closeAll, listen, untilSignal } from '../gateway';
import type { Listening, S } from '../gateway';
import { goos, profileDir, running } from './context';
import type { Mk, MkCommand } from './context';
import { REASONS } from './out';
import { tryAcquireLock } from '../../store/lock';

// minikube tunnel, as with a Docker driver that needs port forwarding: every
// LoadBalancer service gets listeners on 127.0.0.1 at its own ports and
// status.loadBalancer.ingress 127.0.0.1 (so EXTERNAL-IP shows it) while the
// tunnel runs; Ctrl-C removes the ingress and closes the listeners.

const FLAGS: FlagDef[] = [
  { name: 'cleanup', short: 'c', kind: 'bool', default: true },
  { name: 'bind-address', kind: 'string' },
];

interface Conn {
  service: string;
  listeners: Listening[];
}

function lockFile(mk: Mk): string {
  return path.join(profileDir(mk.session.home, mk.profile), '.tunnel_lock');
}

// LoadBalancerEmulator: the service's ingress set to `ip`, or removed.
function setIngress(api: ApiServer, svc: S, ip: string | undefined): void {
  const lb = { ...(svc.status?.loadBalancer ?? {}) } as { ingress?: { ip: string }[] };
  if (ip) lb.ingress = [{ ip }];
  else delete lb.ingress;
  api.update({ ...svc, status: { ...(svc.status ?? {}), loadBalancer: lb } }, { subresource: 'status' });
}

function uniqueName(svc: S): string {
  return [svc.metadata.name, '-', svc.spec?.clusterIP ?? '', ...(svc.spec?.ports ?? []).map((p) => `-${p.port}`)].join('');
}

export const command: MkCommand = {
  flags: FLAGS,
  async run(mk) {
    const { out } = mk;
    running(mk);
    const lockPath = lockFile(mk);
    fs.mkdirSync(path.dirname(lockPath), { recursive: true });
    // Created exclusively, so two tunnels started together cannot both run; a
    // killed tunnel's lock (its pid dead or reused) is taken over.
    const lock = tryAcquireLock(lockPath);
    if (!lock) {
      return out.exit(REASONS.tunnelRunning, 'Another tunnel process is already running, terminate the existing instance to start a new one');
    }
    out.step('success', 'Tunnel successfully started');
    out.ln();
    out.step('notice', 'NOTE: Please do not close this terminal as this process must stay alive for the tunnel to be accessible ...');
    out.ln();

    const bind = mk.flags.str('bind-address') && mk.flags.str('bind-address') !== '*' ? mk.flags.str('bind-address') : '127.0.0.1';
    const conns = new Map<string, Conn>();
    let busy = false;
    const sync = async () => {
      if (busy) return;
      busy = true;
      try {
        const services = mk.session.read((api) => (api.peekList(kind('Service')) as S[]).filter((s) => s.spec?.type === 'LoadBalancer'));
        const seen = new Set<string>();
        for (const svc of services) {
          const key = uniqueName(svc);
          seen.add(key);
          if (conns.has(key)) continue;
          const name = svc.metadata.name ?? '';
          const ports = (svc.spec?.ports ?? []).map((p) => p.port);
          const privileged = ports.filter((p) => p < 1024);
          if (privileged.length > 0 && goos() !== 'windows') {
            out.step('warning', `The service/ingress ${name} requires privileged ports to be exposed: [${privileged.join(' ')}]`);
            out.step('permissions', 'sudo permission will be asked for it.');
          }
          out.step('running', `Starting tunnel for service ${name}.`);
          const conn: Conn = { service: name, listeners: [] };
          conns.set(key, conn);
          for (const port of ports) {
            // ssh -L failing to bind (a privileged port without sudo) only shows in minikube's log.
            await listen(new ServiceBalancer(mk.session, svc.metadata.namespace ?? '', name, port).handler(), bind, port)
              .then((l) => conn.listeners.push(l))
              .catch(() => undefined);
          }
          mk.session.write((api) => {
            const fresh = api.peek(kind('Service'), svc.metadata.namespace, name) as S | undefined;
            if (fresh && fresh.status?.loadBalancer?.ingress?.[0]?.ip !== '127.0.0.1') setIngress(api, fresh, '127.0.0.1');
          });
        }
        for (const [key, conn] of conns) {
          if (seen.has(key)) continue;
          out.step('stopping', `Stopping tunnel for service ${conn.service}.`);
          closeAll(conn.listeners);
          conns.delete(key);
        }
      } catch {
        // The cluster is unreachable for now (stopped); try again on the next round.
      } finally {
        busy = false;
      }
    };
    await sync();
    const timer = setInterval(() => void sync(), 1000);
    await untilSignal(['SIGINT']);
    clearInterval(timer);
    try {
      mk.session.write((api) => {
        for (const svc of api.peekList(kind('Service')) as S[]) {
          if (svc.spec?.type === 'LoadBalancer' && (svc.status?.loadBalancer?.ingress ?? []).length > 0) setIngress(api, svc, undefined);
        }
      });
    } catch {
      // nothing to clean in a cluster that is gone
    }
    for (const conn of conns.values()) {
      out.step('stopping', `Stopping tunnel for service ${conn.service}.`);
      closeAll(conn.listeners);
    }
    lock.release();
    return 0;
  },
};
