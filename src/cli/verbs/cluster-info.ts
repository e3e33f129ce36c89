import type { Command } from '../command';
import { readKubeconfig } from '../../cluster/kubeconfig';
import { CliError } from '../errors';

// kubectl cluster-info: the control plane and the services labelled
// kubernetes.io/cluster-service=true, colored only on a terminal.

const GREEN = '\x1b[0;32m';
const YELLOW = '\x1b[0;33m';
const RESET = '\x1b[0m';

export const command: Command = {
  run(ctx) {
    const session = ctx.session();
    session.ensureCluster();
    const kc = readKubeconfig(session.home);
    // --context names one of the kubeconfig's contexts instead of the current one.
    const contextName = ctx.flags.str('context') || kc.currentContext;
    const context = kc.raw.contexts?.find((x) => x.name === contextName);
    if (ctx.flags.str('context') && !context) throw new CliError(`error: context "${contextName}" does not exist`);
    const cluster = kc.raw.clusters?.find((c) => c.name === context?.context.cluster);
    const server = String(cluster?.cluster.server ?? 'https://192.168.49.2:8443');
    const tty = process.stdout.isTTY === true;
    const paint = (color: string, s: string) => (tty ? `${color}${s}${RESET}` : s);
    const line = (what: string, url: string) => `${paint(GREEN, what)} is running at ${paint(YELLOW, url)}\n`;
    let text = line('Kubernetes control plane', server);
    const services = session.read((api) =>
      api.list(api.kindOf({ apiVersion: 'v1', kind: 'Service' })!, { namespace: 'kube-system' }),
    );
    for (const svc of services) {
      if (svc.metadata.labels?.['kubernetes.io/cluster-service'] !== 'true') continue;
      const name = svc.metadata.labels?.['kubernetes.io/name'] ?? svc.metadata.name ?? '';
      const ports = (svc.spec as { ports?: { name?: string }[] }).ports ?? [];
      const port = ports[0]?.name ? `:${ports[0].name}` : '';
      text += line(name, `${server}/api/v1/namespaces/kube-system/services/${svc.metadata.name}${port}/proxy`);
    }
    text += `\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`;
    ctx.io.out(text);
    return 0;
  },
};
