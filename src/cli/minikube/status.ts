import type { FlagDef } from '../flags';
import { clusterNodes, contextConfigured, isStopped, partial } from './context';
import type { Mk, MkCommand } from './context';
import { REASONS } from './out';

// minikube status: a block per node in minikube's text format (or JSON), and
// an exit code whose bits say what is not running: 1 the host, 2 the
// cluster (kubelet or API server), 4 the kubeconfig. A stopped cluster is 7.

const FLAGS: FlagDef[] = [
  { name: 'output', short: 'o', kind: 'string', default: 'text' },
  { name: 'format', short: 'f', kind: 'string' },
  { name: 'layout', short: 'l', kind: 'string', default: 'nodes' },
  { name: 'node', short: 'n', kind: 'string' },
  { name: 'watch', short: 'w', kind: 'duration', default: 1000, noOptDefVal: '1s' },
];

interface NodeStatus {
  Name: string;
  Host: string;
  Kubelet: string;
  APIServer: string;
  Kubeconfig: string;
  Worker: boolean;
}

function statuses(mk: Mk): NodeStatus[] {
  const stopped = isStopped(mk);
  const configured = contextConfigured(mk);
  return clusterNodes(mk).map((n) => {
    if (stopped) return { Name: n.name, Host: 'Stopped', Kubelet: 'Stopped', APIServer: 'Stopped', Kubeconfig: 'Stopped', Worker: !n.controlPlane };
    if (!n.controlPlane) return { Name: n.name, Host: 'Running', Kubelet: 'Running', APIServer: 'Irrelevant', Kubeconfig: 'Irrelevant', Worker: true };
    return { Name: n.name, Host: 'Running', Kubelet: 'Running', APIServer: 'Running', Kubeconfig: configured ? 'Configured' : 'Misconfigured', Worker: false };
  });
}

function exitCode(list: NodeStatus[]): number {
  let code = 0;
  for (const st of list) {
    if (st.Host !== 'Running') code |= 1;
    if ((st.APIServer !== 'Running' && st.APIServer !== 'Irrelevant') || st.Kubelet !== 'Running') code |= 2;
    if (st.Kubeconfig !== 'Configured' && st.Kubeconfig !== 'Irrelevant') code |= 4;
  }
  return code;
}

// The default text template, and the one for workers.
function text(st: NodeStatus): string {
  if (st.Worker) return `${st.Name}\ntype: Worker\nhost: ${st.Host}\nkubelet: ${st.Kubelet}\n\n`;
  let out = `${st.Name}\ntype: Control Plane\nhost: ${st.Host}\nkubelet: ${st.Kubelet}\napiserver: ${st.APIServer}\nkubeconfig: ${st.Kubeconfig}\n\n`;
  if (st.Kubeconfig === 'Misconfigured') out += '\nWARNING: Your kubectl is pointing to stale minikube-vm.\nTo fix the kubectl context, run `minikube update-context`\n';
  return out;
}

// A --format Go template over the status fields ({{.Host}} and the like).
function formatted(template: string, st: NodeStatus): string {
  const fields = st as unknown as Record<string, string | boolean>;
  return template.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (_m, key: string) => String(fields[key] ?? '<no value>')).replace(/\\n/g, '\n');
}

export const command: MkCommand = {
  flags: FLAGS,
  run(mk) {
    const { out, flags } = mk;
    const output = flags.str('output').toLowerCase();
    if (output !== 'text' && flags.has('format')) return out.exit(REASONS.usage, 'Cannot use both --output and --format options');
    partial(mk);
    let list = statuses(mk);
    if (flags.str('node')) {
      const one = list.find((s) => s.Name === flags.str('node'));
      if (!one) return out.exit(REASONS.nodeRetrieve, `retrieving node: Could not find node ${flags.str('node')}`);
      list = [one];
    }
    if (output === 'json') {
      // cluster.Status as encoding/json writes it, without a newline.
      const json = list.map((st) => ({ ...st, TimeToStop: '', DockerEnv: '', PodManEnv: '' }));
      out.raw(JSON.stringify(json.length === 1 ? json[0] : json));
    } else if (output === 'text') {
      for (const st of list) out.raw(flags.has('format') ? formatted(flags.str('format'), st) : text(st));
    } else {
      return out.exit(REASONS.usage, `invalid output format: ${output}. Valid values: 'text', 'json'`);
    }
    return exitCode(list);
  },
};
