import { CliError } from '../../errors';
import { goAtoi } from './service';
import { enforcedNamespace, generator } from './common';

// kubectl create ingress NAME --rule=host/path=service:port[,tls[=secret]] [--class=CLASS]
//   [--default-backend=service:port] [--annotation=key=value]

// The rule syntax kubectl checks (a prefix match, as Go's MatchString does).
const RULE = /^([\w*.-]*)(\/.*)=([\w-]+):([\w-]+)(,(tls)=?([\w-]+)?)?/;

// intstr.Parse: a number if Atoi accepts it (and it fits int32), else a name.
function backendPort(port: string): { name?: string; number?: number } {
  const n = goAtoi(port);
  return n !== undefined && n >= -2147483648 && n <= 2147483647 ? { number: n } : { name: port };
}

function backend(service: string): Record<string, unknown> {
  const [name, port] = service.split(':');
  return { service: { name, port: backendPort(port) } };
}

// host/path=svc:port: a path ending in `*` is a Prefix match, others Exact.
function httpPath(pathAndService: string): Record<string, unknown> {
  const parts = pathAndService.split('=');
  let path = `/${parts[0]}`;
  let pathType = 'Exact';
  if (path.endsWith('*')) {
    pathType = 'Prefix';
    path = path.slice(0, -1);
  }
  return { path, pathType, backend: backend(parts[1]) };
}

interface Rule {
  host?: string;
  http: { paths: Record<string, unknown>[] };
}

// buildIngressRules: one rule per host, paths added in order.
function ingressRules(rules: readonly string[]): Rule[] {
  const out: Rule[] = [];
  for (const rule of rules) {
    const withoutTls = rule.split(',')[0];
    const slash = withoutTls.indexOf('/');
    const host = withoutTls.slice(0, slash);
    const path = httpPath(withoutTls.slice(slash + 1));
    const existing = out.find((r) => (r.host ?? '') === host);
    if (existing) existing.http.paths.push(path);
    else out.push({ host: host || undefined, http: { paths: [path] } });
  }
  return out;
}

// buildTLSRules: hosts grouped by secret, each host once.
function tlsRules(rules: readonly string[]): { hosts?: string[]; secretName?: string }[] {
  const out: { hosts?: string[]; secretName?: string }[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    const tls = rule.split(',');
    if (tls.length !== 2) continue;
    const host = rule.split('/')[0];
    const secretParts = tls[1].split('=');
    const secret = secretParts.length > 1 ? secretParts[1] : '';
    if (seen.has(host)) continue;
    seen.add(host);
    const same = out.find((t) => (t.secretName ?? '') === secret);
    if (same) {
      same.hosts = [...(same.hosts ?? []), host];
      continue;
    }
    const entry = { hosts: host ? [host] : undefined, secretName: secret || undefined };
    if (entry.hosts || entry.secretName) out.push(entry);
  }
  return out;
}

export const command = generator({
  flags: [
    { name: 'class', kind: 'string' },
    { name: 'rule', kind: 'stringArray' },
    { name: 'default-backend', kind: 'string' },
    { name: 'annotation', kind: 'stringArray' },
  ],
  errorPrefix: 'failed to create ingress: ',
  build(ctx, name) {
    const rules = ctx.flags.list('rule');
    const defaultBackend = ctx.flags.str('default-backend');
    const annotationArgs = ctx.flags.list('annotation');
    if (defaultBackend === '' && rules.length === 0) {
      throw new CliError(
        'error: not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)',
      );
    }
    for (const rule of rules) {
      if (!RULE.test(rule)) throw new CliError(`error: rule ${rule} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]`);
    }
    const annotations: Record<string, string> = {};
    for (const a of annotationArgs) {
      const eq = a.indexOf('=');
      if (eq < 0) throw new CliError(`error: annotation ${a} is invalid and should be in format key=[value]`);
      annotations[a.slice(0, eq)] = a.slice(eq + 1);
    }
    if (defaultBackend !== '' && defaultBackend.split(':').length !== 2) {
      throw new CliError('error: default-backend should be in format servicename:serviceport');
    }
    return {
      kind: 'Ingress',
      apiVersion: 'networking.k8s.io/v1',
      metadata: { name, namespace: enforcedNamespace(ctx), annotations },
      spec: {
        ingressClassName: ctx.flags.str('class') || undefined,
        defaultBackend: defaultBackend ? backend(defaultBackend) : undefined,
        tls: tlsRules(rules),
        rules: ingressRules(rules),
      },
    };
  },
});
