import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cluster } from '../helpers/kubemu';

// With a manual clock and a seed, the same script on fresh homes prints the
// same bytes: names, IPs, ports, uids, ages, events.

const SCRIPT: string[][] = [
  ['apply', '-f', 'https://k8s.io/examples/controllers/nginx-deployment.yaml'],
  ['get', 'pods', '-o', 'wide'],
  ['sim', 'advance', '45s'],
  ['get', 'pods', '-o', 'wide'],
  ['expose', 'deployment', 'nginx-deployment', '--type=NodePort', '--port=80'],
  ['get', 'svc,ep'],
  ['set', 'image', 'deployment/nginx-deployment', 'nginx=nginx:1.161'],
  ['sim', 'advance', '2m'],
  ['get', 'all', '-o', 'wide'],
  ['get', 'events', '-o', 'wide'],
  ['get', 'pods', '-o', 'yaml'],
  ['describe', 'deployment', 'nginx-deployment'],
];

function run(): string {
  const { k } = cluster({ KUBEMU_SEED: '20261123', KUBEMU_START: '2026-11-23T12:00:00Z' });
  return SCRIPT.map((args) => {
    const r = k(...args);
    return `$ kubectl ${args.join(' ')}\n${r.stdout}${r.stderr}[${r.status}]\n`;
  }).join('');
}

test('a scripted scenario prints the same output twice from fresh homes', () => {
  const a = run();
  const b = run();
  assert.equal(a, b);
  // And it did something worth comparing.
  assert.match(a, /nginx-deployment-\S+\s+1\/1\s+Running/);
  assert.match(a, /ImagePullBackOff|ErrImagePull/);
  assert.match(a, /creationTimestamp: "2026-11-23T1[12]:\d\d:\d\dZ"/);
});

test('klog lines carry the simulated clock and print the same from fresh homes', () => {
  const warn = () => cluster({ KUBEMU_SEED: '7', KUBEMU_START: '2026-11-23T12:00:00Z' }).k('create', 'deployment', 'x', '--image=nginx', '--dry-run', '-o', 'name').stderr;
  const a = warn();
  assert.match(a, /^W1123 12:00:00\.000000 +\d+ helpers\.go:702\] --dry-run is deprecated and can be replaced with --dry-run=client\.\n$/);
  assert.equal(warn(), a);
});
