import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { cluster } from '../helpers/kubemu';

// "Connecting Applications with Services" and "Using Source IP", in order:
// service environment variables are fixed when a container starts, DNS
// answers from any pod, and the echoserver reports the client address that
// reaches it through a ClusterIP and a NodePort.

function serviceVars(k: (...a: string[]) => { stdout: string }, pod: string): string[] {
  return k('exec', pod, '--', 'printenv')
    .stdout.split('\n')
    .filter((l) => l.includes('SERVICE'))
    .sort();
}

test('Connecting Applications with Services', () => {
  const { k } = cluster();
  assert.equal(k('apply', '-f', 'https://k8s.io/examples/service/networking/run-my-nginx.yaml').stdout, 'deployment.apps/my-nginx created\n');
  k('sim', 'advance', '20s');
  const ips = k('get', 'pods', '-l', 'run=my-nginx', '-o', 'custom-columns=POD_IP:.status.podIPs').stdout.split('\n');
  assert.equal(ips[0], 'POD_IP');
  assert.match(ips[1], /^\[map\[ip:10\.244\.0\.\d+\]\]$/);
  assert.equal(k('expose', 'deployment/my-nginx').stdout, 'service/my-nginx exposed\n');
  const svcIP = k('get', 'svc', 'my-nginx', '-o', 'jsonpath={.spec.clusterIP}').stdout;
  assert.match(k('get', 'endpointslices', '-l', 'kubernetes.io/service-name=my-nginx').stdout, /^my-nginx-[a-z0-9]{5}\s+IPv4\s+80\s+10\.244\.0\.\d+,10\.244\.0\.\d+\s+0s$/m);

  // Pods that started before the Service do not have its variables...
  const before = k('get', 'pods', '-l', 'run=my-nginx', '-o', 'jsonpath={.items[0].metadata.name}').stdout;
  assert.deepEqual(serviceVars(k, before), ['KUBERNETES_SERVICE_HOST=10.96.0.1', 'KUBERNETES_SERVICE_PORT=443', 'KUBERNETES_SERVICE_PORT_HTTPS=443']);
  // ...pods started after it do.
  k('scale', 'deployment', 'my-nginx', '--replicas=0');
  k('scale', 'deployment', 'my-nginx', '--replicas=2');
  k('sim', 'advance', '30s');
  const after = k('get', 'pods', '-l', 'run=my-nginx', '-o', 'jsonpath={.items[0].metadata.name}').stdout;
  assert.deepEqual(serviceVars(k, after), [
    'KUBERNETES_SERVICE_HOST=10.96.0.1',
    'KUBERNETES_SERVICE_PORT=443',
    'KUBERNETES_SERVICE_PORT_HTTPS=443',
    `MY_NGINX_SERVICE_HOST=${svcIP}`,
    'MY_NGINX_SERVICE_PORT=80',
  ]);

  // DNS, from the tutorial's curl image.
  k('run', 'curl', '--image=radial/busyboxplus:curl', '--', 'sleep', '3600');
  k('sim', 'advance', '10s');
  assert.equal(
    k('exec', 'curl', '--', 'nslookup', 'my-nginx').stdout,
    `Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      my-nginx\nAddress 1: ${svcIP} my-nginx.default.svc.cluster.local\n`,
  );
  assert.match(k('exec', 'curl', '--', 'curl', '-s', 'my-nginx').stdout, /<title>Welcome to nginx!<\/title>/);
});

test('Using Source IP: the client address behind a ClusterIP and a NodePort', () => {
  const { k } = cluster();
  k('create', 'deployment', 'source-ip-app', '--image=registry.k8s.io/echoserver:1.10');
  assert.equal(k('expose', 'deployment', 'source-ip-app', '--name=clusterip', '--port=80', '--target-port=8080').stdout, 'service/clusterip exposed\n');
  k('run', 'busybox', '--image=busybox', '--', 'sleep', '3600');
  k('sim', 'advance', '30s');
  const clientIP = k('get', 'pod', 'busybox', '-o', 'jsonpath={.status.podIP}').stdout;
  const answer = k('exec', 'busybox', '--', 'wget', '-qO', '-', 'clusterip').stdout;
  const pod = k('get', 'pods', '-l', 'app=source-ip-app', '-o', 'jsonpath={.items[0].metadata.name}').stdout;
  assert.equal(
    answer,
    `\n\nHostname: ${pod}\n\nPod Information:\n\t-no pod information available-\n\nServer values:\n\tserver_version=nginx: 1.13.3 - lua: 10008\n\nRequest Information:\n\tclient_address=${clientIP}\n\tmethod=GET\n\treal path=/\n\tquery=\n\trequest_version=1.1\n\trequest_scheme=http\n\trequest_uri=http://clusterip:8080/\n\nRequest Headers:\n\thost=clusterip\n\tuser-agent=Wget\n\nRequest Body:\n\t-no body in request-\n\n`,
  );

  assert.equal(k('expose', 'deployment', 'source-ip-app', '--name=nodeport', '--port=80', '--target-port=8080', '--type=NodePort').stdout, 'service/nodeport exposed\n');
  const nodePort = k('get', '-o', 'jsonpath={.spec.ports[0].nodePort}', 'services', 'nodeport').stdout;
  const nodes = k('get', 'nodes', '-o', 'jsonpath={ $.items[*].status.addresses[?(@.type=="InternalIP")].address }').stdout.trim().split(' ');
  assert.deepEqual(nodes, ['192.168.49.2']);
  const addr = () => k('sim', 'curl', '-s', `${nodes[0]}:${nodePort}`).stdout.split('\n').find((l) => /client_address/i.test(l));
  // SNAT: the node's bridge address, not the client's.
  assert.equal(addr(), '\tclient_address=10.244.0.1');
  assert.equal(k('patch', 'svc', 'nodeport', '-p', '{"spec":{"externalTrafficPolicy":"Local"}}').stdout, 'service/nodeport patched\n');
  assert.equal(addr(), '\tclient_address=192.168.49.1');
});
