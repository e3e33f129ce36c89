import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { cluster, kubemu, tempHome } from '../helpers/kubemu';
import type { Result } from '../helpers/kubemu';
import { oracleSkip } from '../helpers/oracle';
import { compareLive } from '../helpers/kubemu-apiserver';

// PodDisruptionBudgets at work: the ZooKeeper tutorial's "Surviving
// maintenance" section on four nodes (two drains that move servers, a third
// that zk-pdb blocks until a node comes back), and drain's other ways out.

const ZK = 'https://k8s.io/examples/application/zookeeper/zookeeper.yaml';
const DRAIN_FLAGS = ['--ignore-daemonsets', '--force', '--delete-emptydir-data'];
const REFUSED = `error when evicting pods/"zk-2" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.`;

type K = (...args: string[]) => Result;

function nodeOf(k: K, pod: string): string {
  return k('get', 'pod', pod, '--template', '{{.spec.nodeName}}').stdout;
}

// name -> [ready, status, node] of the zk pods.
function zkPods(k: K): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const line of k('get', 'pods', '-l', 'app=zk', '-o', 'wide', '--no-headers').stdout.trim().split('\n')) {
    const f = line.split(/\s+/);
    out[f[0]] = [f[1], f[2], f[6]];
  }
  return out;
}

function pdbRow(k: K): string[] {
  return k('get', 'pdb', 'zk-pdb', '--no-headers').stdout.trim().split(/\s+/).slice(0, 4);
}

function lines(text: string): string[] {
  return text.split('\n').filter(Boolean);
}

test('ZooKeeper: drains move the servers until zk-pdb says no, then uncordon lets the last one go', () => {
  const { k } = cluster({ KUBEMU_NODES: '4' });
  assert.equal(k('apply', '-f', ZK).status, 0);
  // Just created: no server is ready, so no disruption is allowed.
  assert.deepEqual(pdbRow(k), ['zk-pdb', 'N/A', '1', '0']);
  k('sim', 'advance', '5m');
  assert.deepEqual(pdbRow(k), ['zk-pdb', 'N/A', '1', '1']);
  const head = k('get', 'pdb', 'zk-pdb').stdout.split('\n')[0];
  assert.match(head, /^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE$/);
  const described = k('describe', 'pdb', 'zk-pdb').stdout;
  assert.match(described, /^Name:\s+zk-pdb\nNamespace:\s+default\nMax unavailable:\s+1\nSelector:\s+app=zk\nStatus:\n {4}Allowed disruptions:\s+1\n {4}Current:\s+3\n {4}Desired:\s+2\n {4}Total:\s+3\n/);
  const status = JSON.parse(k('get', 'pdb', 'zk-pdb', '-o', 'jsonpath={.status}').stdout) as Record<string, unknown>;
  assert.deepEqual(
    [status.observedGeneration, status.expectedPods, (status.conditions as { type: string; status: string; reason: string }[]).map((c) => `${c.type}=${c.status}/${c.reason}`)],
    [1, 3, ['DisruptionAllowed=True/SufficientPods']],
  );

  // One server per node; the sanity-test value survives everything below.
  const start = zkPods(k);
  const nodes = ['zk-0', 'zk-1', 'zk-2'].map((p) => start[p][2]);
  assert.equal(new Set(nodes).size, 3);
  assert.equal(k('exec', 'zk-0', '--', 'zkCli.sh', 'create', '/hello', 'world').stderr, 'Created /hello\n');

  // First drain: zk-0 is evicted and comes back, Ready, on another node.
  let r = k('drain', nodeOf(k, 'zk-0'), ...DRAIN_FLAGS);
  assert.equal(r.status, 0, r.stderr);
  let out = lines(r.stdout);
  assert.equal(out[0], `node/${nodes[0]} cordoned`);
  assert.ok(out.includes('evicting pod default/zk-0') && out.includes('pod/zk-0 evicted'), r.stdout);
  assert.ok(out.indexOf('evicting pod default/zk-0') < out.indexOf('pod/zk-0 evicted'));
  assert.equal(out.at(-1), `node/${nodes[0]} drained`);
  assert.match(r.stderr, /^Warning: ignoring DaemonSet-managed Pods: kube-system\/kube-proxy-\w{5}(?:; .*)?\n$/);
  k('sim', 'advance', '2m');
  let pods = zkPods(k);
  assert.deepEqual(pods['zk-0'].slice(0, 2), ['1/1', 'Running']);
  assert.notEqual(pods['zk-0'][2], nodes[0]);
  assert.deepEqual(pdbRow(k), ['zk-pdb', 'N/A', '1', '1']);

  // Second drain: zk-1 goes, and with two nodes cordoned anti-affinity keeps it Pending.
  r = k('drain', nodeOf(k, 'zk-1'), ...DRAIN_FLAGS);
  assert.equal(r.status, 0, r.stderr);
  out = lines(r.stdout);
  assert.deepEqual([out[0], out.at(-1)], [`node/${nodes[1]} cordoned`, `node/${nodes[1]} drained`]);
  assert.ok(out.includes('pod/zk-1 evicted'), r.stdout);
  k('sim', 'advance', '1m');
  pods = zkPods(k);
  assert.deepEqual(pods['zk-1'], ['0/1', 'Pending', '<none>']);
  assert.match(k('describe', 'pod', 'zk-1').stdout, /FailedScheduling .*0\/4 nodes are available: 2 node\(s\) didn't match pod anti-affinity rules, 2 node\(s\) were unschedulable\./);
  assert.deepEqual(pdbRow(k), ['zk-pdb', 'N/A', '1', '0']);
  assert.match(k('describe', 'pdb', 'zk-pdb').stdout, /Allowed disruptions:\s+0\n {4}Current:\s+2\n {4}Desired:\s+2\n {4}Total:\s+3\n/);

  // Third drain: evicting zk-2 would violate zk-pdb; kubectl retries every 5s until its timeout.
  r = k('drain', nodeOf(k, 'zk-2'), ...DRAIN_FLAGS, '--timeout=30s');
  assert.equal(r.status, 1);
  out = lines(r.stdout);
  assert.equal(out[0], `node/${nodes[2]} cordoned`);
  assert.ok(!out.some((l) => l.startsWith('node/') && l.endsWith('drained')), r.stdout);
  // Tries at 0s, 5s ... 25s are refused; the one due at 30s finds the timeout passed.
  assert.equal(out.filter((l) => l === 'evicting pod default/zk-2').length, 7);
  const err = lines(r.stderr);
  assert.equal(err.filter((l) => l === REFUSED).length, 6);
  const timeout = 'error when evicting pods/"zk-2" -n "default": global timeout reached: 30s';
  assert.deepEqual(err.slice(-6), [
    `There are pending pods in node "${nodes[2]}" when an error occurred: ${timeout}`,
    'pod/zk-2',
    `error: unable to drain node "${nodes[2]}" due to error: ${timeout}, continuing command...`,
    'There are pending nodes to be drained:',
    ` ${nodes[2]}`,
    timeout,
  ]);
  // The service is still up; zk-2 stays where it was, on a node that stays cordoned.
  pods = zkPods(k);
  assert.deepEqual(pods['zk-2'], ['1/1', 'Running', nodes[2]]);
  assert.match(k('get', 'node', nodes[2], '--no-headers').stdout, /^\S+\s+Ready,SchedulingDisabled\s/);
  assert.match(k('exec', 'zk-0', '--', 'zkCli.sh', 'get', '/hello').stdout, /\nworld\n$/);

  // Uncordon the first node: zk-1 is scheduled there and becomes Ready.
  assert.equal(k('uncordon', nodes[0]).stdout, `node/${nodes[0]} uncordoned\n`);
  k('sim', 'advance', '2m');
  assert.deepEqual(zkPods(k)['zk-1'], ['1/1', 'Running', nodes[0]]);
  assert.deepEqual(pdbRow(k), ['zk-pdb', 'N/A', '1', '1']);

  // Now the drain of zk-2's node succeeds.
  r = k('drain', nodeOf(k, 'zk-2'), ...DRAIN_FLAGS);
  assert.equal(r.status, 0, r.stderr);
  out = lines(r.stdout);
  assert.equal(out[0], `node/${nodes[2]} already cordoned`);
  assert.ok(out.includes('evicting pod default/zk-2') && out.includes('pod/zk-2 evicted'), r.stdout);
  assert.equal(out.at(-1), `node/${nodes[2]} drained`);
  assert.ok(!r.stderr.includes('error'), r.stderr);

  // Uncordon the second node so zk-2 can come back.
  assert.equal(k('uncordon', nodes[1]).stdout, `node/${nodes[1]} uncordoned\n`);
  k('sim', 'advance', '2m');
  pods = zkPods(k);
  for (const p of ['zk-0', 'zk-1', 'zk-2']) assert.deepEqual(pods[p].slice(0, 2), ['1/1', 'Running'], p);
  assert.equal(pods['zk-2'][2], nodes[1]);
  assert.deepEqual(pdbRow(k), ['zk-pdb', 'N/A', '1', '1']);
  assert.match(k('exec', 'zk-2', '--', 'zkCli.sh', 'get', '/hello').stdout, /\nworld\n$/);
});

test('drain without --timeout on a manual clock stops once the budget cannot change', () => {
  const { k } = cluster({ KUBEMU_NODES: '2' });
  k('create', 'deployment', 'web', '--image=nginx', '--replicas=1');
  k('create', 'pdb', 'web', '--selector=app=web', '--min-available=1');
  k('sim', 'advance', '1m');
  assert.deepEqual(k('get', 'pdb', 'web', '--no-headers').stdout.trim().split(/\s+/).slice(0, 4), ['web', '1', 'N/A', '0']);
  const node = k('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].spec.nodeName}').stdout;
  const r = k('drain', node, '--ignore-daemonsets', '--force');
  assert.equal(r.status, 1);
  const refused = lines(r.stderr).filter((l) => l.includes('(will retry after 5s): Cannot evict pod'));
  assert.ok(refused.length > 1, r.stderr);
  assert.match(r.stderr, /global timeout reached: 2562047h47m16\.854775807s\n$/);
});

test('--disable-eviction deletes past the budget; a pod under two budgets cannot be evicted', () => {
  const { k } = cluster();
  k('create', 'deployment', 'web', '--image=nginx', '--replicas=2');
  k('create', 'pdb', 'one', '--selector=app=web', '--min-available=2');
  k('sim', 'advance', '1m');
  assert.match(k('describe', 'pdb', 'one').stdout, /Min available:\s+2\nSelector:\s+app=web\nStatus:\n {4}Allowed disruptions:\s+0\n {4}Current:\s+2\n {4}Desired:\s+2\n {4}Total:\s+2\n/);

  k('create', 'pdb', 'two', '--selector=app=web', '--max-unavailable=50%');
  k('sim', 'advance', '10s');
  let r = k('drain', 'minikube', '--ignore-daemonsets', '--pod-selector=app=web', '--timeout=20s');
  assert.equal(r.status, 1);
  const pods = k('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}').stdout.split(' ');
  const errs = pods.map((p) => `error when evicting pods/"${p}" -n "default": This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.`);
  assert.ok(r.stderr.includes(`error: unable to drain node "minikube" due to error: [${errs.join(', ')}], continuing command...\n`), r.stderr);
  assert.ok(r.stderr.endsWith(`${errs.join('\n')}\n`), r.stderr);

  k('delete', 'pdb', 'two');
  r = k('drain', 'minikube', '--ignore-daemonsets', '--pod-selector=app=web', '--disable-eviction');
  assert.equal(r.status, 0, r.stderr);
  const out = lines(r.stdout);
  assert.deepEqual([out[0], out.at(-1)], ['node/minikube already cordoned', 'node/minikube drained']);
  assert.deepEqual(out.slice(1, -1).sort(), pods.map((p) => `pod/${p} deleted`).sort());
});

// The same drains by the real kubectl against kubemu's API server: what the
// client prints (warnings, evictions, the refusals it retries, the timeout)
// must be kubemu's byte for byte. Pods go at once (--grace-period=0): the
// server's clock does not move while the real kubectl waits.
test('drain against a cluster: as kubectl does it', { skip: oracleSkip }, async () => {
  const home = tempHome();
  const k = (...args: string[]) => kubemu(args, { home });
  k('create', 'deployment', 'web', '--image=nginx', '--replicas=1');
  k('create', 'pdb', 'web', '--selector=app=web', '--max-unavailable=1');
  k('sim', 'advance', '1m');
  // kube-proxy's DaemonSet pod gives the one warning; mirror pods are skipped.
  const flags = ['--ignore-daemonsets', '--grace-period=0', '--pod-selector=k8s-app!=kube-dns,integration-test!=storage-provisioner'];
  const run = (args: string[]) => kubemu(args, { home });
  let { oracle, kubemu: got } = await compareLive(home, ['drain', 'minikube', ...flags], run);
  assert.equal(got.status, 0, got.stderr);
  assert.match(got.stdout, /^node\/minikube cordoned\nevicting pod default\/web-\w+-\w{5}\npod\/web-\w+-\w{5} evicted\nnode\/minikube drained\n$/);
  assert.deepEqual(got, oracle);

  // Refused: a budget that needs the one pod; the timeout ends the retries.
  k('uncordon', 'minikube');
  k('sim', 'advance', '1m');
  k('create', 'pdb', 'keep', '--selector=app=web', '--min-available=1');
  k('delete', 'pdb', 'web');
  k('sim', 'advance', '5s');
  ({ oracle, kubemu: got } = await compareLive(home, ['drain', 'minikube', ...flags, '--timeout=6s'], run));
  assert.equal(got.status, 1);
  assert.equal(lines(got.stderr).filter((l) => l.endsWith("(will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.")).length, 2);
  assert.deepEqual(got, oracle);
});
