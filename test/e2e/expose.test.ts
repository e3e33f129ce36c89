import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubemu, tempHome } from '../helpers/kubemu';
import type { Result } from '../helpers/kubemu';
import { oracleSkip } from '../helpers/oracle';
import { compareLive, writeManifests } from '../helpers/kubemu-apiserver';

// kubectl expose: the Service kubectl generates (selector, ports, protocols,
// labels) for pods, services, replication controllers, deployments and
// replica sets, created or printed; compared with the real kubectl.

const FILES = tempHome('kubemu-expose-files-');
writeManifests(FILES, {
  'exprs.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: np
spec:
  selector:
    matchLabels:
      app: np
    matchExpressions:
    - key: tier
      operator: In
      values: [a, b]
  template:
    metadata:
      labels:
        app: np
        tier: a
    spec:
      containers:
      - name: a
        image: nginx
`,
});

function session(): { home: string; k: (...args: string[]) => Result } {
  const home = tempHome();
  return { home, k: (...args) => kubemu(args, { home, cwd: FILES }) };
}

test('expose deploy web --port=80: the service it creates', () => {
  const { k } = session();
  assert.equal(k('apply', '-f', 'web.yaml').status, 0);
  let r = k('expose', 'deploy', 'web', '--port=80', '--dry-run=client', '-o', 'yaml');
  assert.equal(
    r.stdout,
    'apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: web\n  name: web\nspec:\n  ports:\n  - port: 80\n    protocol: TCP\n    targetPort: 80\n  selector:\n    app: web\nstatus:\n  loadBalancer: {}\n',
  );
  r = k('expose', 'deploy', 'web', '--port=80');
  assert.deepEqual([r.stdout, r.status], ['service/web exposed\n', 0]);
  assert.match(k('get', 'svc', 'web').stdout, /^web\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP\s+\d+s$/m);
  r = k('expose', 'deploy', 'web');
  assert.deepEqual([r.stderr, r.status], ['Error from server (AlreadyExists): services "web" already exists\n', 1]);
  r = k('expose', '-f', 'exprs.yaml', '--port=80');
  assert.equal(
    r.stderr,
    'error: couldn\'t retrieve selectors via --selector flag or introspection: couldn\'t convert expressions - "[{Key:tier Operator:In Values:[a b]}]" to map-based selector format\n',
  );
  r = k('expose', 'svc', 'kubernetes', '--name=k2', '--selector=app=x', '--dry-run=client');
  assert.equal(r.stdout, 'service/k2 exposed (dry run)\n');
});

test('expose against a cluster: as kubectl does it', { skip: oracleSkip }, async () => {
  const { home, k } = session();
  for (const a of [['apply', '-f', 'web.yaml'], ['apply', '-f', 'rc.yaml'], ['run', 'p1', '--image=nginx', '--port=8080'], ['run', 'bare', '--image=nginx']]) {
    assert.equal(k(...a).status, 0, a.join(' '));
  }
  const run = (args: string[]) => kubemu(args, { home, cwd: FILES });
  const cases: string[][] = [
    ['expose', 'deploy', 'web', '--dry-run=client', '-o', 'yaml'],
    ['expose', 'deploy', 'web', '--dry-run=client', '-o', 'json'],
    ['expose', 'rc', 'rc1', '--dry-run=client', '-o', 'yaml'],
    ['expose', 'pod', 'p1', '--dry-run=client', '-o', 'json', '--name=x', '--type=LoadBalancer', '--load-balancer-ip=1.2.3.4', '--target-port=http', '--external-ip=5.6.7.8', '--session-affinity=ClientIP'],
    ['expose', 'pod', 'p1', '--port=90', '--protocol=UDP', '--dry-run=client', '-o', 'yaml', '-n', 'default'],
    ['expose', 'pod', 'bare', '--port=80'],
    ['expose', 'pod', 'bare', '--cluster-ip=None', '--name=headless', '--dry-run=client', '-o', 'yaml'],
    ['expose', 'rc', 'rc1', '--overrides={"spec":{"type":"NodePort"}}', '--dry-run=client', '-o', 'yaml'],
    ['expose', 'deploy', 'web'],
    ['expose', 'deploy', 'web'],
    ['expose', 'svc', 'web', '--port=81', '--name=web2', '-o', 'yaml'],
    ['expose', 'deploy', 'nope'],
    ['expose', '-f', 'exprs.yaml', '--dry-run=client'],
    ['expose', '-f', 'exprs.yaml', '--port=80', '--dry-run=client'],
    ['expose', '-f', 'exprs.yaml', '--port=80', '--selector=app=np', '--labels=a=b,c=d', '--dry-run=client', '-o', 'yaml'],
    ['expose', 'deploy', 'web', '--port=80', '--selector=a in (b)'],
    ['expose', 'deploy', 'web', '--port=x', '--dry-run=client'],
    ['expose', 'deploy', 'web', '--session-affinity=x', '--dry-run=client'],
    ['expose', 'deploy/web', 'rc/rc1', '--dry-run=client', '-o', 'yaml'],
    ['expose'],
    ['expose', 'ns', 'default'],
    ['expose', 'deploy', 'web', '--name=web3', '--save-config', '--type=NodePort', '-o', 'name'],
  ];
  for (const args of cases) {
    const { oracle, kubemu: got } = await compareLive(home, args, (a) => run(a), { cwd: FILES });
    assert.deepEqual(got, oracle, args.join(' '));
  }
});
