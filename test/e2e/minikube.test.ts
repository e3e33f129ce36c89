import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cluster, kubemu, tempHome } from '../helpers/kubemu';

// `kubemu minikube ...`: minikube v1.35's words with the docker driver. Output
// here is not a terminal, so minikube's low-fi prefixes stand for its emoji.

const PLATFORM = /^\* minikube v1\.35\.0 on .+\n/;

const FRESH_START = [
  '* Automatically selected the docker driver',
  '* Using Docker driver with root privileges',
  '* Starting "minikube" primary control-plane node in "minikube" cluster',
  '* Pulling base image v0.0.46 ...',
  '* Creating docker container (CPUs=2, Memory=2200MB) ...',
  '* Preparing Kubernetes v1.32.0 on Docker 27.4.1 ...',
  '  - Generating certificates and keys ...',
  '  - Booting up control plane ...',
  '  - Configuring RBAC rules ...',
  '* Configuring bridge CNI (Container Networking Interface) ...',
  '* Verifying Kubernetes components...',
  '  - Using image gcr.io/k8s-minikube/storage-provisioner:v5',
  '* Enabled addons: storage-provisioner, default-storageclass',
  '* Done! kubectl is now configured to use "minikube" cluster and "default" namespace by default',
  '',
].join('\n');

const RUNNING_STATUS = 'minikube\ntype: Control Plane\nhost: Running\nkubelet: Running\napiserver: Running\nkubeconfig: Configured\n\n';
const STOPPED_STATUS = 'minikube\ntype: Control Plane\nhost: Stopped\nkubelet: Stopped\napiserver: Stopped\nkubeconfig: Stopped\n\n';

function withoutPlatform(text: string): string {
  assert.match(text, PLATFORM);
  return text.replace(PLATFORM, '');
}

test('Hello Minikube, in order', () => {
  const { k, home } = cluster();
  let r = k('minikube', 'start');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(withoutPlatform(r.stdout), FRESH_START);

  r = k('create', 'deployment', 'hello-node', '--image=registry.k8s.io/e2e-test-images/agnhost:2.53', '--', '/agnhost', 'netexec', '--http-port=8080');
  assert.equal(r.stdout, 'deployment.apps/hello-node created\n');
  k('sim', 'advance', '30s');
  assert.match(k('get', 'deployments').stdout, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nhello-node\s+1\/1\s+1\s+1\s+30s\n$/);
  const pod = k('get', 'pods', '-o', 'jsonpath={.items[0].metadata.name}').stdout;
  assert.match(k('get', 'pods').stdout, new RegExp(`^${pod}\\s+1/1\\s+Running\\s+0\\s+30s$`, 'm'));
  assert.match(k('get', 'events').stdout, /Scheduled\s+pod\/hello-node-\S+\s+Successfully assigned default\/hello-node-\S+ to minikube/);
  assert.match(k('config', 'view').stdout, /current-context: minikube\n/);
  assert.match(k('config', 'view').stdout, /server: https:\/\/192\.168\.49\.2:8443\n/);
  assert.equal(k('logs', pod).stdout.split('\n').length >= 2, true);

  r = k('expose', 'deployment', 'hello-node', '--type=LoadBalancer', '--port=8080');
  assert.equal(r.stdout, 'service/hello-node exposed\n');
  assert.equal(r.status, 0, r.stderr);
  assert.match(k('get', 'services').stdout, /^hello-node\s+LoadBalancer\s+10\.\d+\.\d+\.\d+\s+<pending>\s+8080:3\d{4}\/TCP\s+\d+s$/m);
  // (minikube service hello-node --url and its curl: network.test.ts)

  r = k('minikube', 'addons', 'enable', 'metrics-server');
  assert.equal(
    r.stdout,
    "* metrics-server is an addon maintained by Kubernetes. For any concerns contact minikube on GitHub.\nYou can view the list of minikube maintainers at: https://github.com/kubernetes/minikube/blob/master/OWNERS\n  - Using image registry.k8s.io/metrics-server/metrics-server:v0.7.2\n* The 'metrics-server' addon is enabled\n",
  );
  assert.equal(k('top', 'pods').stderr, 'error: Metrics API not available\n');
  k('sim', 'advance', '90s');
  r = k('top', 'pods');
  assert.equal(r.stdout, `NAME${' '.repeat(pod.length - 1)}CPU(cores)   MEMORY(bytes)   \n${pod}   1m           6Mi             \n`);
  r = k('minikube', 'addons', 'disable', 'metrics-server');
  assert.equal(r.stdout, `* "The 'metrics-server' addon is disabled\n`);
  assert.equal(k('top', 'pods').stderr, 'error: Metrics API not available\n');

  assert.equal(k('delete', 'service', 'hello-node').status, 0);
  assert.equal(k('delete', 'deployment', 'hello-node').stdout, 'deployment.apps "hello-node" deleted\n');

  r = k('minikube', 'stop');
  assert.equal(r.stdout, '* Stopping node "minikube"  ...\n* Powering off "minikube" via SSH ...\n* 1 node stopped.\n');
  r = k('minikube', 'delete');
  assert.equal(
    r.stdout,
    `* Deleting "minikube" in docker ...\n* Deleting container "minikube" ...\n* Removing ${path.join(home, 'minikube', 'machines', 'minikube')} ...\n* Removed all traces of the "minikube" cluster.\n`,
  );
  assert.equal(fs.existsSync(path.join(home, 'state.json')), false);
});

test('minikube start twice, status, stop, and kubectl against a stopped cluster', () => {
  const { k } = cluster();
  k('minikube', 'start');
  let r = k('minikube', 'start');
  assert.equal(
    withoutPlatform(r.stdout),
    [
      '* Using the docker driver based on existing profile',
      '* Starting "minikube" primary control-plane node in "minikube" cluster',
      '* Pulling base image v0.0.46 ...',
      '* Updating the running docker "minikube" container ...',
      '* Preparing Kubernetes v1.32.0 on Docker 27.4.1 ...',
      '* Verifying Kubernetes components...',
      '  - Using image gcr.io/k8s-minikube/storage-provisioner:v5',
      '* Enabled addons: storage-provisioner, default-storageclass',
      '* Done! kubectl is now configured to use "minikube" cluster and "default" namespace by default',
      '',
    ].join('\n'),
  );
  r = k('minikube', 'status');
  assert.deepEqual([r.stdout, r.status], [RUNNING_STATUS, 0]);
  assert.equal(k('minikube', 'status', '-o', 'json').stdout, '{"Name":"minikube","Host":"Running","Kubelet":"Running","APIServer":"Running","Kubeconfig":"Configured","Worker":false,"TimeToStop":"","DockerEnv":"","PodManEnv":""}');
  assert.equal(k('minikube', 'status', '--format', '{{.Host}}').stdout, 'Running');
  assert.equal(k('minikube', 'ip').stdout, '192.168.49.2\n');

  // --keep-context-active leaves kubectl pointed at the stopped API server.
  assert.equal(k('minikube', 'stop', '--keep-context-active').status, 0);
  r = k('minikube', 'status');
  assert.deepEqual([r.stdout, r.status], [STOPPED_STATUS, 7]);
  r = k('get', 'pods');
  assert.deepEqual([r.stdout, r.stderr, r.status], ['', 'The connection to the server 192.168.49.2:8443 was refused - did you specify the right host or port?\n', 1]);
  r = k('minikube', 'ip');
  assert.deepEqual([r.stdout, r.status], ['* The control-plane node minikube host is not running: state=Stopped\n  To start a cluster, run: "minikube start"\n', 83]);
  r = k('minikube', 'stop');
  assert.equal(r.stdout, '* Stopping node "minikube"  ...\n* 1 node stopped.\n');
  // A plain stop removes the context: kubectl falls back to localhost:8080.
  r = k('get', 'pods');
  assert.equal(r.stderr, 'The connection to the server localhost:8080 was refused - did you specify the right host or port?\n');
  assert.match(k('config', 'view').stdout, /current-context: ""\n/);

  r = k('minikube', 'start');
  assert.equal(
    withoutPlatform(r.stdout),
    [
      '* Using the docker driver based on existing profile',
      '* Starting "minikube" primary control-plane node in "minikube" cluster',
      '* Pulling base image v0.0.46 ...',
      '* Restarting existing docker container for "minikube" ...',
      '* Preparing Kubernetes v1.32.0 on Docker 27.4.1 ...',
      '* Configuring bridge CNI (Container Networking Interface) ...',
      '* Verifying Kubernetes components...',
      '  - Using image gcr.io/k8s-minikube/storage-provisioner:v5',
      '* Enabled addons: storage-provisioner, default-storageclass',
      '* Done! kubectl is now configured to use "minikube" cluster and "default" namespace by default',
      '',
    ].join('\n'),
  );
  assert.equal(k('minikube', 'status').stdout, RUNNING_STATUS);
  assert.equal(k('get', 'pods', '-n', 'kube-system', '-o', 'name').stdout.split('\n').filter(Boolean).length, 7);

  r = k('minikube', 'start', '--kubernetes-version=v1.31.0');
  assert.equal(r.status, 106);
  assert.match(r.stderr, /^X Exiting due to K8S_UNSUPPORTED: kubemu simulates Kubernetes v1\.32\.0 only, not v1\.31\.0\n$/);
  r = k('minikube', 'start', '--driver=podman');
  assert.equal(r.status, 81);
  assert.equal(
    r.stderr,
    '! Exiting due to GUEST_DRIVER_MISMATCH: The existing "minikube" cluster was created using the "docker" driver, which is incompatible with requested "podman" driver.\n* Suggestion: Delete the existing \'minikube\' cluster using: \'minikube delete\', or start the existing \'minikube\' cluster using: \'minikube start --driver=docker\'\n',
  );
});

test('minikube without a cluster: profile not found, delete anyway, status exit 85', () => {
  const home = tempHome();
  const mk = (...args: string[]) => kubemu(['minikube', ...args], { home });
  let r = mk('status');
  assert.deepEqual([r.stdout, r.status], ['* Profile "minikube" not found. Run "minikube profile list" to view all profiles.\n  To start a cluster, run: "minikube start"\n', 85]);
  r = mk('delete');
  assert.deepEqual([r.stdout, r.stderr, r.status], ['* Removed all traces of the "minikube" cluster.\n', '! "minikube" profile does not exist, trying anyways.\n', 0]);
  r = mk('addons', 'list');
  assert.match(r.stdout, /^\|-+\|-+\|\n\| +ADDON NAME +\| +MAINTAINER +\|\n/);
  assert.equal(mk('version').stdout, 'minikube version: v1.35.0\ncommit: dd5d320e41b5451cdf3c01891bc4e13d189586ed-dirty\n');
  assert.equal(mk('version', '--short').stdout, 'v1.35.0\n');
  assert.equal(mk('version', '-o', 'json').stdout, '{"commit":"dd5d320e41b5451cdf3c01891bc4e13d189586ed-dirty","minikubeVersion":"v1.35.0"}\n');
  r = mk('frobnicate');
  assert.deepEqual([r.stderr, r.status], ['Error: unknown command "frobnicate" for "minikube"\nRun \'minikube --help\' for usage.\n', 14]);
});

test('minikube addons list: tablewriter\'s table, wrapped maintainer, status icons', () => {
  const { k } = cluster();
  k('minikube', 'start');
  const lines = k('minikube', 'addons', 'list').stdout.split('\n');
  const rule = '|-----------------------------|----------|--------------|--------------------------------|';
  assert.equal(lines[0], rule);
  assert.equal(lines[1], '|         ADDON NAME          | PROFILE  |    STATUS    |           MAINTAINER           |');
  assert.equal(lines[2], rule);
  assert.equal(lines[3], '| ambassador                  | minikube | disabled     | 3rd party (Ambassador)         |');
  assert.ok(lines.includes('| default-storageclass        | minikube | enabled ✅   | Kubernetes                     |'));
  const inaccel = lines.indexOf('| inaccel                     | minikube | disabled     | 3rd party (InAccel             |');
  assert.ok(inaccel > 0, lines.join('\n'));
  assert.equal(lines[inaccel + 1], '|                             |          |              | [info@inaccel.com])            |');
  assert.equal(lines[lines.length - 2], rule);
  assert.equal(lines[lines.length - 1], '');
  const gadget = lines.indexOf('| inspektor-gadget            | minikube | disabled     | 3rd party                      |');
  assert.equal(lines[gadget + 1], '|                             |          |              | (inspektor-gadget.io)          |');
  // 39 addons, two of them on two lines.
  assert.equal(lines.length, 3 + 41 + 1 + 1);

  assert.equal(
    k('minikube', 'addons', 'list', '-o', 'json').stdout.slice(0, 81),
    '{"ambassador":{"Profile":"minikube","Status":"disabled"},"amd-gpu-device-plugin":',
  );
  let r = k('minikube', 'addons', 'enable', 'nope');
  assert.equal(r.status, 10);
  assert.match(r.stderr, /^X Exiting due to MK_ADDON_ENABLE: enable failed: run callbacks: nope is not a valid addon\n\* \n╭─+╮\n│ +│\n│    \* If the above advice does not help, please let us know: +│\n/);
  r = k('minikube', 'addons', 'disable', 'nope');
  assert.deepEqual([r.stderr, r.status], ["X Exiting due to SVC_ADDON_UNSUPPORTED: \"'nope' is not a valid minikube addon\n", 116]);
  r = k('minikube', 'addons', 'enable', 'headlamp');
  assert.equal(
    r.stdout,
    '! headlamp is a 3rd party addon and is not maintained or verified by minikube maintainers, enable at your own risk.\n* headlamp is maintained by 3rd party (kinvolk.io) for any concerns contact yolossn on GitHub.\n\n\n',
  );
  // Listed, but not simulated.
  assert.deepEqual([r.stderr, r.status], ["X Exiting due to MK_ADDON_ENABLE: enable failed: kubemu does not simulate the 'headlamp' addon\n", 10]);
  r = k('minikube', 'addons', 'enable');
  assert.deepEqual([r.stderr, r.status], ['X Exiting due to MK_USAGE: usage: minikube addons enable ADDON_NAME\n', 14]);
});

test('minikube addons enable dashboard creates its namespace and objects; disable removes them', () => {
  const { k } = cluster();
  k('minikube', 'start');
  const r = k('minikube', 'addons', 'enable', 'dashboard');
  assert.equal(
    r.stdout,
    [
      '* dashboard is an addon maintained by Kubernetes. For any concerns contact minikube on GitHub.',
      'You can view the list of minikube maintainers at: https://github.com/kubernetes/minikube/blob/master/OWNERS',
      '  - Using image docker.io/kubernetesui/dashboard:v2.7.0',
      '  - Using image docker.io/kubernetesui/metrics-scraper:v1.0.8',
      '* Some dashboard features require the metrics-server addon. To enable all features please run:',
      '',
      '\tminikube addons enable metrics-server',
      '',
      "* The 'dashboard' addon is enabled",
      '',
    ].join('\n'),
  );
  k('sim', 'advance', '30s');
  assert.match(k('get', 'deploy', '-n', 'kubernetes-dashboard').stdout, /dashboard-metrics-scraper\s+1\/1[\s\S]*kubernetes-dashboard\s+1\/1/);
  assert.match(k('minikube', 'addons', 'list').stdout, /\| dashboard {19}\| minikube \| enabled ✅   \| Kubernetes {21}\|/);
  assert.equal(k('minikube', 'addons', 'disable', 'dashboard').status, 0);
  k('sim', 'advance', '60s');
  assert.equal(k('get', 'ns', 'kubernetes-dashboard').status, 1);
  // Enabled while stopped: recorded, then applied by the next start.
  k('minikube', 'stop');
  assert.equal(k('minikube', 'addons', 'enable', 'metrics-server').stdout.split('\n').slice(2).join('\n'), "* The 'metrics-server' addon is enabled\n");
  const start = k('minikube', 'start').stdout;
  assert.match(start, /\n {2}- Using image gcr\.io\/k8s-minikube\/storage-provisioner:v5\n {2}- Using image registry\.k8s\.io\/metrics-server\/metrics-server:v0\.7\.2\n\* Enabled addons: storage-provisioner, metrics-server, default-storageclass\n/);
  assert.equal(k('get', 'deploy', 'metrics-server', '-n', 'kube-system', '-o', 'name').stdout, 'deployment.apps/metrics-server\n');
});

test('minikube service list, node add and list, start --nodes, kubectl --, update-context', () => {
  const { k, home } = cluster();
  let r = k('minikube', 'start', '--nodes', '2');
  const out = withoutPlatform(r.stdout);
  assert.match(out, /\* Configuring CNI \(Container Networking Interface\) \.\.\.\n/);
  assert.match(
    out,
    /\* Enabled addons: storage-provisioner, default-storageclass\n\n\* Starting "minikube-m02" worker node in "minikube" cluster\n\* Pulling base image v0\.0\.46 \.\.\.\n\* Creating docker container \(CPUs=2, Memory=2200MB\) \.\.\.\n\* Found network options:\n {2}- NO_PROXY=192\.168\.49\.2\n\* Preparing Kubernetes v1\.32\.0 on Docker 27\.4\.1 \.\.\.\n {2}- env NO_PROXY=192\.168\.49\.2\n\* Verifying Kubernetes components\.\.\.\n\* Done!/,
  );
  assert.equal(k('minikube', 'node', 'list').stdout, 'minikube\t192.168.49.2\nminikube-m02\t192.168.49.3\n');
  r = k('minikube', 'node', 'add');
  assert.equal(
    r.stdout,
    '* Adding node m03 to cluster minikube as [worker]\n* Starting "minikube-m03" worker node in "minikube" cluster\n* Pulling base image v0.0.46 ...\n* Creating docker container (CPUs=2, Memory=2200MB) ...\n* Preparing Kubernetes v1.32.0 on Docker 27.4.1 ...\n* Verifying Kubernetes components...\n* Successfully added m03 to minikube!\n',
  );
  k('sim', 'advance', '20s');
  assert.match(k('get', 'nodes').stdout, /minikube-m03\s+Ready\s+<none>/);
  assert.equal(
    k('minikube', 'status').stdout,
    `${'minikube\ntype: Control Plane\nhost: Running\nkubelet: Running\napiserver: Running\nkubeconfig: Configured\n\n'}minikube-m02\ntype: Worker\nhost: Running\nkubelet: Running\n\nminikube-m03\ntype: Worker\nhost: Running\nkubelet: Running\n\n`,
  );
  assert.equal(k('minikube', 'ip', '-n', 'm02').stdout, '192.168.49.3\n');

  k('create', 'service', 'nodeport', 'web', '--tcp=80:8080');
  assert.equal(
    k('minikube', 'service', 'list').stdout,
    [
      '|-------------|------------|--------------|-----|',
      '|  NAMESPACE  |    NAME    | TARGET PORT  | URL |',
      '|-------------|------------|--------------|-----|',
      '| default     | kubernetes | No node port |     |',
      '| default     | web        | 80-8080/80   |     |',
      '| kube-system | kube-dns   | No node port |     |',
      '|-------------|------------|--------------|-----|',
      '',
    ].join('\n'),
  );
  r = k('minikube', 'service', 'nope');
  assert.equal(r.status, 115);
  assert.equal(r.stderr, "X Exiting due to SVC_NOT_FOUND: Service 'nope' was not found in 'default' namespace.\nYou may select another namespace by using 'minikube service nope -n <namespace>'. Or list out all the services using 'minikube service list'\n");
  r = k('minikube', 'service', 'web', '--url');
  assert.equal(r.status, 115);
  assert.match(r.stderr, /^X Exiting due to SVC_UNREACHABLE: service not available: no running pod for service web found\n/);

  r = k('minikube', 'kubectl', '--', 'get', 'nodes', '-o', 'name');
  assert.deepEqual([r.stdout, r.status], ['node/minikube\nnode/minikube-m02\nnode/minikube-m03\n', 0]);

  r = k('minikube', 'update-context');
  assert.equal(r.stdout, '! No changes required for the "minikube" context\n* Current context is "minikube"\n');
  fs.writeFileSync(path.join(home, 'kubeconfig'), fs.readFileSync(path.join(home, 'kubeconfig'), 'utf8').replace('192.168.49.2:8443', '192.168.49.9:8443'));
  r = k('minikube', 'status');
  assert.equal(r.status, 4);
  assert.match(r.stdout, /kubeconfig: Misconfigured\n\n\nWARNING: Your kubectl is pointing to stale minikube-vm\.\nTo fix the kubectl context, run `minikube update-context`\n/);
  r = k('minikube', 'update-context');
  assert.equal(r.stdout, '* "minikube" context has been updated to point to 192.168.49.2:8443\n* Current context is "minikube"\n');
  assert.equal(k('minikube', 'status').status, 0);
});

test('minikube output is styled with emoji when MINIKUBE_IN_STYLE says so', () => {
  const home = tempHome();
  const r = kubemu(['minikube', 'start'], { home, env: { MINIKUBE_IN_STYLE: 'true' } });
  assert.match(r.stdout, /^😄 {2}minikube v1\.35\.0 on /);
  assert.match(r.stdout, /\n {4}▪ Generating certificates and keys \.\.\.\n/);
  assert.match(r.stdout, /\n🏄 {2}Done! kubectl is now configured/);
  const stop = kubemu(['minikube', 'stop'], { home, env: { MINIKUBE_IN_STYLE: '1' } });
  assert.equal(stop.stdout, '✋  Stopping node "minikube"  ...\n🛑  Powering off "minikube" via SSH ...\n🛑  1 node stopped.\n');
});
