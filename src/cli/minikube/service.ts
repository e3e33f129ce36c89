import type { FlagDef } from '../flags';
import type { ApiServer } from '../../api/server';
import { kind } from '../../api/registry';
import { ServiceBalancer, closeAll, listen, untilSignal } from '../gateway';
import type { Listening, P, S } from '../gateway';
import { goos, primaryIP, running } from './context';
import type { Mk, MkCommand } from './context';
import { REASONS } from './out';
import { goTable } from './table';

// minikube service NAME [--url] and minikube service list. kubemu behaves as
// minikube does with a Docker driver that needs port forwarding (Docker
// Desktop): the node's IP is not reachable from the host, so each service
// port gets a tunnel on 127.0.0.1:<free port> (a real listener answering as
// the service's pods do, round-robin) that lives until Ctrl-C.

const FLAGS: FlagDef[] = [
  { name: 'namespace', short: 'n', kind: 'string', default: 'default' },
  { name: 'url', kind: 'bool' },
  { name: 'all', kind: 'bool' },
  { name: 'https', kind: 'bool' },
  { name: 'wait', kind: 'int', default: 2 },
  { name: 'interval', kind: 'int', default: 1 },
  { name: 'format', kind: 'string', default: 'http://{{.IP}}:{{.Port}}' },
  { name: 'output', short: 'o', kind: 'string', default: 'table' },
];

interface SvcURL {
  namespace: string;
  name: string;
  type: string;
  ports: number[];
  // NodePort URLs on the node, and the port names minikube prints beside them.
  urls: string[];
  portNames: string[];
  hasRunningPod: boolean;
}

function applyFormat(format: string, ip: string, port: number, name: string): string {
  return format
    .replace(/\{\{\s*\.IP\s*\}\}/g, ip)
    .replace(/\{\{\s*\.Port\s*\}\}/g, String(port))
    .replace(/\{\{\s*\.Name\s*\}\}/g, name);
}

function httpsURL(url: string, https: boolean): string {
  return https && url.startsWith('http://') ? `https://${url.slice(7)}` : url;
}

// printURLsForService, and CheckServicePods' question.
function serviceURLs(api: ApiServer, svc: S, ip: string, format: string): SvcURL {
  const urls: string[] = [];
  const portNames: string[] = [];
  for (const p of svc.spec?.ports ?? []) {
    if (!p.nodePort) continue;
    const portName = p.name ? `${p.name}/${p.port}` : String(p.port);
    urls.push(applyFormat(format, ip, p.nodePort, portName));
    portNames.push(portName);
  }
  const selector = svc.spec?.selector ?? {};
  const pods = api
    .peekList(kind('Pod'), { namespace: svc.metadata.namespace })
    .filter((p) => Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v)) as P[];
  return {
    namespace: svc.metadata.namespace ?? '',
    name: svc.metadata.name ?? '',
    type: svc.spec?.type ?? 'ClusterIP',
    ports: (svc.spec?.ports ?? []).map((p) => p.port),
    urls,
    portNames,
    hasRunningPod: pods.some((p) => p.status?.phase === 'Running'),
  };
}

function readServices(mk: Mk, namespace: string | undefined): SvcURL[] {
  const ip = primaryIP(mk);
  return mk.session.read((api) => (api.peekList(kind('Service'), { namespace }) as S[]).map((s) => serviceURLs(api, s, ip, mk.flags.str('format'))));
}

function list(mk: Mk): number {
  const { out, flags } = mk;
  running(mk);
  const services = readServices(mk, flags.has('namespace') ? flags.str('namespace') : undefined);
  // With port forwarding, the node URLs are of no use from the host: they are left out.
  const rows = services.map((s) => ({ Namespace: s.namespace, Name: s.name, URLs: [] as string[], PortNames: s.urls.length === 0 ? ['No node port'] : s.portNames }));
  const output = flags.str('output').toLowerCase();
  if (output === 'json') {
    out.raw(JSON.stringify(rows));
    return 0;
  }
  if (output !== 'table') return out.exit(REASONS.usage, `invalid output format: ${output}. Valid values: 'table', 'json'`);
  out.raw(goTable(['Namespace', 'Name', 'Target Port', 'URL'], rows.map((r) => [r.Namespace, r.Name, r.PortNames.join('\n'), ''])));
  return 0;
}

async function tunnel(mk: Mk, services: SvcURL[]): Promise<number> {
  const { out, flags } = mk;
  const urlMode = flags.bool('url');
  const namespace = flags.str('namespace');
  const listeners: Listening[] = [];
  const rows: string[][] = [];
  for (const svc of services) {
    if (!urlMode) out.step('running', `Starting tunnel for service ${svc.name}.`);
    const urls: string[] = [];
    for (const port of svc.ports) {
      const balancer = new ServiceBalancer(mk.session, svc.namespace, svc.name, port);
      const l = await listen(balancer.handler(), '127.0.0.1', 0);
      listeners.push(l);
      urls.push(httpsURL(applyFormat(flags.str('format'), '127.0.0.1', l.port, svc.name), flags.bool('https')));
    }
    rows.push([namespace, svc.name, '', urls.join('\n')]);
  }
  if (urlMode) {
    for (const r of rows) out.raw(`${r[3]}\n`);
  } else {
    out.raw(goTable(['Namespace', 'Name', 'Target Port', 'URL'], rows));
    for (const r of rows) {
      out.step('celebrate', `Opening service ${namespace}/${r[1]} in default browser...`);
      // There is no browser to open: the address is printed instead.
      out.ln(r[3]);
    }
  }
  out.warning(`Because you are using a Docker driver on ${goos()}, the terminal needs to be open to run it.`);
  await untilSignal(['SIGINT']);
  closeAll(listeners);
  return 0;
}

export const command: MkCommand = {
  flags: FLAGS,
  async run(mk) {
    const { out, flags } = mk;
    if (mk.args[0] === 'list') return list({ ...mk, args: mk.args.slice(1) });
    const all = flags.bool('all');
    if ((mk.args.length === 0 && !all) || (mk.args.length > 0 && all)) return out.exit(REASONS.usage, 'You must specify service name(s) or --all');
    running(mk);
    const namespace = flags.str('namespace');
    let services = readServices(mk, namespace);
    if (mk.args.length > 0) services = services.filter((s) => mk.args.includes(s.name));
    if (services.length === 0 && all) {
      return out.exit(REASONS.svcNotFound, `No services were found in the '${namespace}' namespace.\nYou may select another namespace by using 'minikube service --all -n <namespace>'`);
    }
    if (services.length === 0) {
      const name = mk.args[0];
      return out.exit(
        REASONS.svcNotFound,
        `Service '${name}' was not found in '${namespace}' namespace.\nYou may select another namespace by using 'minikube service ${name} -n <namespace>'. Or list out all the services using 'minikube service list'`,
      );
    }
    const noNodePort: string[] = [];
    for (const svc of services) {
      if (!flags.bool('url')) {
        const row = svc.urls.length === 0 ? [namespace, svc.name, '', 'No node port'] : [namespace, svc.name, svc.portNames.join('\n'), svc.urls.map((u) => httpsURL(u, flags.bool('https'))).join('\n')];
        out.raw(goTable(['Namespace', 'Name', 'Target Port', 'URL'], [row]));
      }
      if (svc.urls.length === 0) {
        out.step('sad', `service ${namespace}/${svc.name} has no node port`);
        noNodePort.push(`${svc.namespace}/${svc.name}`);
      }
      if ((svc.type === 'NodePort' || svc.type === 'LoadBalancer') && !svc.hasRunningPod) {
        return out.fail(REASONS.svcUnreachable, 'service not available', `no running pod for service ${svc.name} found`);
      }
    }
    if (noNodePort.length > 0) {
      out.warning(`Services [${noNodePort.join(' ')}] have type "ClusterIP" not meant to be exposed, however for local development minikube allows you to access this !`);
    }
    return tunnel(mk, services);
  },
};
