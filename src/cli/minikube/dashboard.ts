import * as os from 'node:os';
import type { FlagDef } from '../flags';
import { kind } from '../../api/registry';
import { httpToPod } from '../../sim/network';
import { waitFor } from '../waiting';
import { ServiceBalancer, listen } from '../gateway';
import { DEFAULT_FILTER, proxyHandler, regexps } from '../verbs/proxy';
import { loadProfile, running } from './context';
import type { MkCommand } from './context';
import { REASONS } from './out';
import { enableAddon } from './addons';

// minikube dashboard [--url]: enables the dashboard addon if needed, starts a
// `kubectl proxy` on a free port (or --port), waits until the dashboard
// answers through it, prints its URL and keeps serving until interrupted.

const FLAGS: FlagDef[] = [
  { name: 'url', kind: 'bool' },
  { name: 'port', kind: 'int', default: 0 },
];

const NAMESPACE = 'kubernetes-dashboard';
const SERVICE = 'kubernetes-dashboard';
const WAIT_MS = 10 * 60_000;

export const command: MkCommand = {
  flags: FLAGS,
  async run(mk) {
    const { out, flags } = mk;
    running(mk);
    const port = flags.int('port');
    if (port < 0 || port > 65535) return out.exit(REASONS.kubectlProxy, 'Invalid port');
    const cfg = loadProfile(mk);
    if (!cfg.Addons.dashboard) {
      out.err('enabling', 'Enabling dashboard ...');
      enableAddon(mk, cfg, 'dashboard');
    }
    out.err('verifying', 'Verifying dashboard health ...');
    const exists = mk.session.read((api) => api.peek(kind('Service'), NAMESPACE, SERVICE) !== undefined);
    if (!exists) return out.exit(REASONS.svcCheckTimeout, `dashboard service is not running: services "${SERVICE}" not found`);

    out.err('launch', 'Launching proxy ...');
    const filter = {
      acceptPaths: regexps(DEFAULT_FILTER.acceptPaths),
      rejectPaths: regexps(DEFAULT_FILTER.rejectPaths),
      acceptHosts: regexps(DEFAULT_FILTER.acceptHosts),
      rejectMethods: regexps(DEFAULT_FILTER.rejectMethods),
    };
    const proxy = await listen(proxyHandler(mk.session, { apiPrefix: '/', staticPrefix: '/static/', filter }), '127.0.0.1', port);
    const url = `http://127.0.0.1:${proxy.port}/api/v1/namespaces/${NAMESPACE}/services/http:${SERVICE}:/proxy/`;

    out.err('verifying', 'Verifying proxy health ...');
    // Until a dashboard pod answers 200 through the service (simulated time moves on).
    const balancer = new ServiceBalancer(mk.session, NAMESPACE, SERVICE, undefined);
    const healthy = waitFor(
      mk.session,
      (api) => {
        const backend = balancer.next(api);
        if ('error' in backend) return undefined;
        const answer = httpToPod({ api, now: api.now() }, backend.pod, backend.port, '/');
        return 'status' in answer && answer.status === 200 ? true : undefined;
      },
      { timeoutMs: WAIT_MS },
    );
    if (!healthy) return out.exit(REASONS.svcUrlTimeout, `${url} is not accessible: Temporary Error: unexpected response code: 503`);

    if (flags.bool('url') || os.userInfo().uid === 0) {
      out.ln(url);
    } else {
      out.step('celebrate', `Opening ${url} in your default browser...`);
      // No browser here: the address is printed for the user to open.
      out.ln(url);
    }
    // minikube waits on its kubectl proxy, which serves until a signal ends it.
    return new Promise<number>(() => undefined);
  },
};
