import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { oracleSkip } from '../helpers/oracle';
import { runOracleAgainst, startFakeServer } from '../helpers/fake-apiserver';
import type { FakeServer } from '../helpers/fake-apiserver';
import { kubemu, normalizeKlog, tempHome, withFlags } from '../helpers/kubemu-cli';

// `kubectl run`: the pod (and --expose's service) diffed byte for byte against the
// real kubectl 1.32, which needs an API server even with --dry-run=client: it is
// given a fake one serving discovery (test/helpers/fake-apiserver.ts). Then pods are
// run for real, attached to, and removed with --rm.

const OBJECT_CASES: string[][] = [
  ['run', 'nginx', '--image=nginx'],
  ['run', 'nginx', '--image=nginx:1.25', '--port=80', '-n', 'web', '--labels=app=web,tier=front', '--annotations=a=1', '--annotations=b=x=y'],
  ['run', 'bb', '--image=busybox', '--restart=Never', '--env=A=1', '--env=B=two words', '--', 'sh', '-c', 'echo hi'],
  ['run', 'bb', '--image=busybox', '--command', '--restart=OnFailure', '--image-pull-policy=IfNotPresent', '--', 'sleep', '3600'],
  ['run', 'shell', '--image=busybox', '-i', '-t', '--privileged'],
  ['run', 'shell', '--image=busybox', '--stdin', '--leave-stdin-open', '--restart='],
  ['run', 'web', '--image=nginx', '--port=80', '--expose'],
  ['run', 'web', '--image=nginx', '--port=8080', '--expose', '--labels=app=web', '-n', 'x'],
  ['run', 'o', '--image=nginx', '--overrides={"spec":{"nodeName":"node-1","containers":[{"name":"x","image":"y","unknownField":1}]},"extra":true}'],
  ['run', 'o', '--image=nginx', '--override-type=strategic', '--overrides={"spec":{"containers":[{"name":"o","args":["a"]}]}}'],
  ['run', 'o', '--image=nginx', '--override-type=json', '--overrides=[{"op":"add","path":"/spec/hostname","value":"h"},{"op":"remove","path":"/metadata/labels"}]'],
  [
    'run',
    'o',
    '--image=nginx',
    '--override-type=json',
    '--overrides=[{"op":"replace","path":"/spec/restartPolicy","value":"Never"},{"op":"copy","from":"/spec/containers/0","path":"/spec/containers/-"},{"op":"replace","path":"/spec/containers/1/name","value":"copy"}]',
  ],
  ['run', 'o', '--image=nginx', '--overrides={"metadata":{"labels":{"z":"1","a":"2"}},"spec":{"tolerations":[{"operator":"Exists"}]}}'],
  // kubectl 1.32 takes the first argument after `--` as the name.
  ['run', '--image=busybox', '--', 'dashed', 'sleep', '1'],
];

const ERROR_CASES: string[][] = [
  ['run', 'x'],
  ['run', '--image=nginx'],
  ['run', 'x', '--image='],
  ['run', 'x', '--image=Nginx'],
  ['run', 'x', '--image=nginx', '-t'],
  ['run', 'x', '--image=nginx', '--expose'],
  ['run', 'x', '--image=nginx', '--restart=Sometimes'],
  ['run', 'x', '--image=nginx', '--rm'],
  ['run', 'x', '--image=nginx', '-i'],
  ['run', 'x', '--image=nginx', '--attach'],
  ['run', 'x', '--image=nginx', '--image-pull-policy=Sometimes'],
  ['run', 'x', '--image=nginx', '--pod-running-timeout=0s'],
  ['run', 'x', '--image=nginx', '--env=1A=b'],
  ['run', 'x', '--image=nginx', '--env=NOVALUE'],
  ['run', 'x', '--image=nginx', '--annotations=novalue'],
  ['run', 'x', '--image=nginx', '--labels=novalue'],
  ['run', 'x', '--image=nginx', '--port=http'],
  ['run', 'x', '--image=nginx', '--port=80,81', '--expose'],
  ['run', 'x', '--image=nginx', '--overrides={bad'],
  ['run', 'x', '--image=nginx', '--overrides=[1]'],
  ['run', 'x', '--image=nginx', '--overrides={"spec":"x"}'],
  ['run', 'x', '--image=nginx', '--overrides={"spec":{"containers":[{"name":1}]}}'],
  ['run', 'x', '--image=nginx', '--overrides={"kind":1}'],
  ['run', 'x', '--image=nginx', '--overrides={"spec":{"containers":[1]}}'],
  ['run', 'x', '--image=nginx', '--overrides={"spec":{"containers":[{"name":"x","ports":[{"containerPort":1.5}]}]}}'],
  ['run', 'x', '--image=nginx', '--override-type=strategic', '--overrides={bad'],
  ['run', 'x', '--image=nginx', '--override-type=json', '--overrides={}'],
  ['run', 'x', '--image=nginx', '--override-type=json', '--overrides=[{"op":"remove","path":"/spec/nope"}]'],
  ['run', 'x', '--image=nginx', '--override-type=json', '--overrides=[{"op":"add","path":"/a/b","value":1}]'],
  ['run', 'x', '--image=nginx', '--override-type=other', '--overrides={}'],
  ['run', 'x', '--image=nginx', '--override-type=json', '--overrides=[{"op":"move","from":"/spec/nope","path":"/spec/x"}]'],
  ['run', 'x', '--image=nginx', '--override-type=json', '--overrides=[{"op":"test","path":"/spec/dnsPolicy","value":"Default"}]'],
  ['run', 'x', '--image=nginx', '--override-type=json', '--overrides=[1]'],
];

describe('run: client dry-run against the real kubectl', { skip: oracleSkip }, () => {
  let server: FakeServer;
  const home = tempHome();
  before(async () => {
    server = await startFakeServer();
  });
  after(async () => {
    await server.close();
  });

  for (const args of OBJECT_CASES) {
    for (const output of ['yaml', 'json', 'name']) {
      it(`${args.join(' ')} -o ${output}`, async () => {
        const full = withFlags(args, ['--dry-run=client', '-o', output]);
        const theirs = await runOracleAgainst(server, full);
        const ours = kubemu(home, full);
        assert.equal(ours.stderr, theirs.stderr);
        assert.equal(ours.stdout, theirs.stdout);
        assert.equal(ours.status, theirs.status);
      });
    }
  }

  it('prints `pod/NAME created (dry run)`, the service first with --expose', async () => {
    for (const args of [OBJECT_CASES[0], OBJECT_CASES[6]]) {
      for (const extra of [['--dry-run=client'], ['--dry-run']]) {
        const full = withFlags(args, extra);
        const theirs = await runOracleAgainst(server, full);
        const ours = kubemu(home, full);
        assert.equal(normalizeKlog(ours.stderr), normalizeKlog(theirs.stderr));
        assert.equal(ours.stdout, theirs.stdout);
      }
    }
  });

  for (const args of ERROR_CASES) {
    it(`error: ${args.join(' ')}`, async () => {
      const full = withFlags(args, ['--dry-run=client']);
      const theirs = await runOracleAgainst(server, full);
      assert.notEqual(theirs.status, 0, 'the oracle accepts this case');
      const ours = kubemu(home, full);
      assert.equal(ours.stderr, theirs.stderr);
      assert.equal(ours.stdout, theirs.stdout);
      assert.equal(ours.status, theirs.status);
    });
  }
});

describe('run: for real', () => {
  it('creates the pod (and with --expose the service first), defaulted by the server', () => {
    const home = tempHome();
    const r = kubemu(home, ['run', 'web', '--image=nginx', '--port=80', '--expose', '--labels=app=web']);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, 'service/web created\npod/web created\n');
    const pod = parseYaml(kubemu(home, ['get', 'pod', 'web', '-o', 'yaml']).stdout) as {
      metadata: { labels: Record<string, string>; namespace: string };
      spec: { restartPolicy: string; dnsPolicy: string; containers: Record<string, unknown>[] };
    };
    assert.equal(pod.metadata.namespace, 'default');
    assert.deepEqual(pod.metadata.labels, { app: 'web' });
    assert.equal(pod.spec.restartPolicy, 'Always');
    assert.equal(pod.spec.containers[0].terminationMessagePolicy, 'File');
    assert.deepEqual(pod.spec.containers[0].ports, [{ containerPort: 80, protocol: 'TCP' }]);
    const svc = parseYaml(kubemu(home, ['get', 'service', 'web', '-o', 'yaml']).stdout) as {
      spec: { selector: Record<string, string>; ports: { port: number; targetPort: number }[] };
    };
    assert.deepEqual(svc.spec.selector, { app: 'web' });
    assert.deepEqual(
      svc.spec.ports.map((p) => [p.port, p.targetPort]),
      [[80, 80]],
    );

    const again = kubemu(home, ['run', 'web', '--image=nginx']);
    assert.equal(again.stderr, 'Error from server (AlreadyExists): pods "web" already exists\n');
    assert.equal(again.status, 1);

    assert.equal(kubemu(home, ['run', 'dry', '--image=nginx', '--dry-run=server']).stdout, 'pod/dry created (server dry run)\n');
    assert.equal(kubemu(home, ['get', 'pod', 'dry']).status, 1);
    assert.equal(kubemu(home, ['run', 'other', '--image=nginx', '-n', 'kube-public']).stdout, 'pod/other created\n');
    assert.equal(kubemu(home, ['get', 'pod', 'other', '-n', 'kube-public', '-o', 'name']).stdout, 'pod/other\n');
  });

  it('-i --rm with --restart=Never: waits for the pod, shows its output, deletes it, exits with its code', () => {
    const home = tempHome();
    // busybox's sh with nothing to read ends at once, successfully.
    const r = kubemu(home, ['run', 'once', '-i', '--rm', '--restart=Never', '--image=busybox']);
    assert.equal(r.stdout, 'pod "once" deleted\n');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(kubemu(home, ['get', 'pod', 'once']).status, 1);
  });

  it('--rm -q deletes silently; an attachment that never ends times out under a manual clock', () => {
    const home = tempHome();
    const r = kubemu(home, ['run', 'srv', '-i', '-q', '--rm', '--image=nginx', '--pod-running-timeout=20s']);
    // The container's output is shown; no prompt, no deletion message.
    assert.doesNotMatch(r.stdout, /deleted/);
    assert.equal(r.stderr, 'error: timed out waiting for the condition\n');
    assert.equal(r.status, 1);
    const deleting = kubemu(home, ['get', 'pod', 'srv', '-o', 'jsonpath={.metadata.deletionTimestamp}']);
    assert.notEqual(deleting.stdout, '', '--rm deletes the pod even so (it is terminating)');
  });
});

describe('run: the server answer printed as a typed Pod', { skip: oracleSkip }, () => {
  it('is stable under kubectl decoding (-o json)', async () => {
    const home = tempHome();
    const args = ['run', 'web', '--image=nginx', '--port=80', '-o', 'json'];
    const ours = kubemu(home, args);
    assert.equal(ours.status, 0, ours.stderr);
    const fake = await startFakeServer({ createResponse: () => JSON.parse(ours.stdout) as Record<string, unknown> });
    try {
      assert.equal((await runOracleAgainst(fake, args)).stdout, ours.stdout);
    } finally {
      await fake.close();
    }
  });
});
