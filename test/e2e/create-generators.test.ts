import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { oracleSkip, runOracle } from '../helpers/oracle';
import type { OracleResult } from '../helpers/oracle';
import { runOracleAgainst, startFakeServer } from '../helpers/fake-apiserver';
import type { FakeServer } from '../helpers/fake-apiserver';
import { kubemu, normalizeKlog, tempHome, withFlags } from '../helpers/kubemu-cli';
import type { CliResult } from '../helpers/kubemu-cli';

// `kubectl create <generator>`: the objects kubemu generates are diffed byte for byte
// against the real kubectl 1.32 (--dry-run=client, which kubectl runs offline, or
// against a fake discovery server for the generators that read discovery), with -o
// yaml and -o json (Go struct order); so are the validation errors. Then the objects
// are created for real: defaulted by the server, AlreadyExists wrapped as kubectl
// wraps it, and the server's answer printed as kubectl prints typed objects.

// A self-signed EC certificate, its key, and a key that does not match it.
const CERT = `-----BEGIN CERTIFICATE-----
MIIBhDCCASmgAwIBAgIUDfyEUGxpQmNQ5DzRnj+DZdthmIIwCgYIKoZIzj0EAwIw
FjEUMBIGA1UEAwwLa3ViZW11LXRlc3QwIBcNMjYxMTIzMDkzMzExWhgPMjEyNjEw
MzAwOTMzMTFaMBYxFDASBgNVBAMMC2t1YmVtdS10ZXN0MFkwEwYHKoZIzj0CAQYI
KoZIzj0DAQcDQgAER3E6/5XRccthQuV6unIZMkmmZ5sol9nezPZtwQRui5/CrFaC
eDNNUxX+9pYNUi9SuCcsWUrT2GjXNibUmWEO0qNTMFEwHQYDVR0OBBYEFGUZkknG
lG/vkE7l8Jjv/xvXrviwMB8GA1UdIwQYMBaAFGUZkknGlG/vkE7l8Jjv/xvXrviw
MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSQAwRgIhALSe0BhixuSkxzYQ
8dwSE7b39SKIZDY9tgdd7jHN+7K4AiEA452LeI+i16m6HTpRN0B+KO6mhFmyukey
2/GBamfvJ9I=
-----END CERTIFICATE-----
`;
const KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgePXS3VdQUAyXDxMG
qoj0VuHWzJ2fifLtvXSYcxdhR5ahRANCAARHcTr/ldFxy2FC5Xq6chkySaZnmyiX
2d7M9m3BBG6Ln8KsVoJ4M01TFf72lg1SL1K4JyxZStPYaNc2JtSZYQ7S
-----END PRIVATE KEY-----
`;
const OTHER_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgKZnZstzmTGWMJi4N
XKqLrRwY+guHPuRqbJJe0ewzcDOhRANCAARDgxawfTgcKwjLxGTj8/d/fKOOG8NX
u7EtScjmZf1B9rU7Xug7eZxl8etCo30lDOtbGos2WO4Z9gONGQFVLYbt
-----END PRIVATE KEY-----
`;

// Input files, at the same absolute paths for kubemu and the oracle. `@/` in an
// argument stands for their directory.
const FILES = tempHome('kubemu-generator-files-');
function writeFiles(): void {
  const put = (rel: string, data: string | Buffer) => {
    const file = path.join(FILES, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, data);
  };
  put('a.txt', 'hello\nworld\n');
  put('html.txt', '<b>&amp;</b>');
  put('dir/k1', 'one');
  put('dir/k2.conf', 'two\n');
  put('dir/blob', Buffer.from([0xff, 0xfe, 0x00, 0x01]));
  put('dir/sub/ignored', 'not a regular file of dir');
  put('app.env', '# settings\nA=1\n  B=two words \n\nC=x=y\r\nFROM_ENV\n');
  put('bad.env', 'OK=1\n1BAD=2\n');
  put('dockercfg.json', '{"auths":{"r.example.com":{"auth":"dTpw"}}}');
  put('tls.crt', CERT);
  put('tls.key', KEY);
  put('other.key', OTHER_KEY);
}

const at = (args: string[]) => args.map((a) => a.replaceAll('@/', `${FILES}/`));
const ENV = { FROM_ENV: 'from the environment' };

interface Case {
  args: string[];
  // Needs a (fake) API server for discovery.
  server?: boolean;
}

// Flag combinations per generator, printed with -o yaml and -o json.
const OBJECT_CASES: Case[] = [
  { args: ['create', 'deployment', 'web', '--image=nginx'] },
  { args: ['create', 'deployment', 'web', '--image=nginx:1.25', '--image=redis', '--port=80', '-r', '3', '-n', 'prod'] },
  { args: ['create', 'deploy', 'sleeper', '--image=busybox', '--save-config', '--', 'sleep', '3600'] },
  { args: ['create', 'deployment', 'zero', '--image=registry.k8s.io/pause@sha256:' + 'a'.repeat(64), '--replicas=0', '--port=0'] },
  { args: ['create', 'namespace', 'dev'] },
  { args: ['create', 'ns', 'dev', '--save-config'] },
  { args: ['create', 'namespace', 'dev', '-n', 'ignored'] },
  { args: ['create', 'serviceaccount', 'robot'] },
  { args: ['create', 'sa', 'robot', '-n', 'ci'] },
  { args: ['create', 'serviceaccount', 'robot', '--save-config', '-n', 'ci'] },
  { args: ['create', 'configmap', 'cfg', '--from-literal=z=last', '--from-literal=a=<first>&', '--from-file=@/a.txt', '--from-file=renamed=@/html.txt'] },
  { args: ['create', 'cm', 'cfg', '--from-file=@/dir', '-n', 'x'] },
  { args: ['create', 'configmap', 'cfg', '--from-env-file=@/app.env', '--append-hash', '--save-config'] },
  { args: ['create', 'configmap', 'empty'] },
  { args: ['create', 'configmap', 'cfg', '--from-literal=10=a', '--from-literal=9=b', '--append-hash'] },
  { args: ['create', 'secret', 'generic', 's', '--from-literal=user=admin', '--from-file=@/dir', '--type=Opaque'] },
  { args: ['create', 'secret', 'generic', 's', '--from-env-file=@/app.env', '--append-hash', '-n', 'x'] },
  { args: ['create', 'secret', 'generic', 's', '--from-literal=k=v', '--type=example.com/custom', '--save-config'] },
  { args: ['create', 'secret', 'tls', 't', '--cert=@/tls.crt', '--key=@/tls.key'] },
  { args: ['create', 'secret', 'tls', 't', '--cert=@/tls.crt', '--key=@/tls.key', '--append-hash', '-n', 'x'] },
  { args: ['create', 'secret', 'tls', 't', '--cert=@/tls.crt', '--key=@/tls.key', '--save-config'] },
  { args: ['create', 'secret', 'docker-registry', 'r', '--docker-username=u', '--docker-password=p<&>', '--docker-email=u@example.com'] },
  { args: ['create', 'secret', 'docker-registry', 'r', '--docker-server=r.example.com:5000', '--docker-username=u', '--docker-password=p', '--append-hash'] },
  { args: ['create', 'secret', 'docker-registry', 'r', '--from-file=@/dockercfg.json', '-n', 'x'] },
  { args: ['create', 'service', 'clusterip', 'svc', '--tcp=80:8080', '--tcp=443'] },
  { args: ['create', 'svc', 'clusterip', 'svc', '--clusterip=None', '-n', 'x'] },
  { args: ['create', 'service', 'clusterip', 'svc', '--tcp=5678:http,53:dns', '--clusterip=10.96.0.50', '--save-config'] },
  { args: ['create', 'service', 'nodeport', 'np', '--tcp=80:8080'] },
  { args: ['create', 'service', 'nodeport', 'np', '--tcp=80', '--node-port=30080', '-n', 'x'] },
  { args: ['create', 'service', 'nodeport', 'np', '--tcp=1:2,3:4'] },
  { args: ['create', 'service', 'loadbalancer', 'lb', '--tcp=80:8080'] },
  { args: ['create', 'service', 'loadbalancer', 'lb', '--tcp=443', '-n', 'x'] },
  { args: ['create', 'service', 'loadbalancer', 'lb', '--tcp=80:web', '--tcp=81:web2', '--save-config'] },
  { args: ['create', 'service', 'externalname', 'ext', '--external-name=db.example.com'] },
  { args: ['create', 'service', 'externalname', 'ext', '--external-name=db', '--tcp=5432', '-n', 'x'] },
  { args: ['create', 'service', 'externalname', 'ext', '--external-name', 'a.b.c'] },
  { args: ['create', 'job', 'once', '--image=busybox'] },
  { args: ['create', 'job', 'once', '--image=busybox', '-n', 'batch', '--', 'sh', '-c', 'echo hi'] },
  { args: ['create', 'job', 'once', '--image=busybox', '--save-config', '--', 'date'] },
  { args: ['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *'] },
  { args: ['create', 'cj', 'tick', '--image=busybox', '--schedule=@hourly', '--restart=Never', '-n', 'x', '--', 'echo', 'tick'] },
  { args: ['create', 'cronjob', 'tick', '--image=busybox', '--schedule=0 0 * * *', '--restart=Always', '--save-config'] },
  { args: ['create', 'role', 'reader', '--verb=get,list', '--verb=watch', '--resource=pods,deploy,rs.apps,pods/log'], server: true },
  { args: ['create', 'role', 'reader', '--verb=*,get', '--resource=*', '--resource-name=a', '--resource-name=a', '--resource-name=b', '-n', 'x'], server: true },
  { args: ['create', 'role', 'binder', '--verb=bind,escalate', '--resource=roles.rbac.authorization.k8s.io,clusterroles', '--save-config'], server: true },
  { args: ['create', 'role', 'imp', '--verb=impersonate', '--resource=users,serviceaccounts,groups'], server: true },
  { args: ['create', 'clusterrole', 'cr', '--verb=get', '--resource=nodes,pods', '--non-resource-url=/logs,/healthz*'], server: true },
  { args: ['create', 'clusterrole', 'agg', '--aggregation-rule=rbac.example.com/aggregate-to-view=true,b=c'], server: true },
  { args: ['create', 'clusterrole', 'nr', '--verb=get,post', '--non-resource-url=*', '--save-config'], server: true },
  { args: ['create', 'rolebinding', 'rb', '--role=reader', '--group=devs', '--serviceaccount=ci:robot'] },
  { args: ['create', 'rolebinding', 'rb', '--clusterrole=view', '-n', 'x'] },
  { args: ['create', 'rolebinding', 'rb', '--clusterrole=edit', '--user=alice', '--user=bob', '--save-config'] },
  { args: ['create', 'clusterrolebinding', 'crb', '--clusterrole=view', '--group=devs', '--serviceaccount=a:b'] },
  { args: ['create', 'clusterrolebinding', 'crb', '--clusterrole=admin', '--user=alice', '-n', 'ignored'] },
  { args: ['create', 'clusterrolebinding', 'crb', '--clusterrole=cluster-admin', '--save-config'] },
  { args: ['create', 'ingress', 'simple', '--rule=foo.com/bar=svc1:8080,tls=my-cert'] },
  { args: ['create', 'ing', 'catch-all', '--class=other', '--rule=/path=svc:port', '--default-backend=def:80', '-n', 'x'] },
  {
    args: [
      'create',
      'ingress',
      'multi',
      '--annotation=a1=foo',
      '--annotation=a2=bla',
      '--rule=foo.com/=svc:port',
      '--rule=foo.com/admin/*=svcadmin:portadmin',
      '--rule=bar.com/*=s:80,tls',
      '--rule=baz.com/x=s:80,tls=my-cert',
    ],
  },
  { args: ['create', 'poddisruptionbudget', 'pdb', '--selector=app=web', '--min-available=2'] },
  { args: ['create', 'pdb', 'pdb', '--selector=app=web,tier in (b,a),!legacy', '--max-unavailable=50%', '-n', 'x'] },
  { args: ['create', 'pdb', 'pdb', '--selector=env', '--min-available=0', '--save-config'] },
  { args: ['create', 'quota', 'q', '--hard=cpu=1000m,memory=1024Mi,pods=10,requests.cpu=0.5'] },
  { args: ['create', 'quota', 'q', '--scopes=BestEffort,NotTerminating', '-n', 'x'] },
  { args: ['create', 'resourcequota', 'q', '--hard=count/deployments.apps=2', '--save-config'] },
];

// Validation errors: stderr and exit status as kubectl's.
const ERROR_CASES: Case[] = [
  { args: ['create', 'deployment', 'web'] },
  { args: ['create', 'deployment'] },
  { args: ['create', 'deployment', 'a', 'b', '--image=x'] },
  { args: ['create', 'deployment', '--image=x', '--', 'a', 'b'] },
  { args: ['create', 'deployment', 'd', '--image=x', '--image=y', '--', 'cmd'] },
  { args: ['create', 'deployment', 'd', '--image=x', '--validate=sometimes'] },
  { args: ['create', 'deployment', 'd', '--image=x', '--dry-run=maybe'] },
  { args: ['create', 'deployment', 'd', '--image=x', '-o', 'wide'] },
  { args: ['create', 'deployment', 'd', '--image=x', '--port=http'] },
  { args: ['create', 'namespace'] },
  { args: ['create', 'namespace', ''] },
  { args: ['create', 'cronjob', 'c'] },
  { args: ['create', 'cronjob', 'c', '--image=x'] },
  { args: ['create', 'job', 'j'] },
  { args: ['create', 'job', 'j', '--image=x', '--from=cronjob/c'] },
  { args: ['create', 'job', 'j', '--from=cronjob/c', '--', 'cmd'] },
  { args: ['create', 'configmap', 'c', '--from-literal=a=1', '--from-literal=a=2'] },
  { args: ['create', 'configmap', 'c', '--from-literal=noequals'] },
  { args: ['create', 'configmap', 'c', '--from-literal=b@d=1'] },
  { args: ['create', 'configmap', 'c', '--from-file=@/missing'] },
  { args: ['create', 'configmap', 'c', '--from-file=k=@/dir'] },
  { args: ['create', 'configmap', 'c', '--from-file==@/a.txt'] },
  { args: ['create', 'configmap', 'c', '--from-env-file=@/app.env', '--from-literal=a=b'] },
  { args: ['create', 'configmap', 'c', '--from-env-file=@/bad.env'] },
  { args: ['create', 'configmap', 'c', '--from-env-file=@/dir'] },
  { args: ['create', 'secret', 'generic', 's', '--from-literal=a=1', '--from-file=a=@/a.txt'] },
  { args: ['create', 'secret', 'generic', 's', '--from-literal=b@d=1'] },
  { args: ['create', 'secret', 'tls', 't'] },
  { args: ['create', 'secret', 'tls', 't', '--cert=@/missing.crt', '--key=@/tls.key'] },
  { args: ['create', 'secret', 'tls', 't', '--cert=@/tls.crt', '--key=@/other.key'] },
  { args: ['create', 'secret', 'tls', 't', '--cert=@/tls.key', '--key=@/tls.crt'] },
  { args: ['create', 'secret', 'tls', 't', '--cert=@/a.txt', '--key=@/tls.key'] },
  { args: ['create', 'secret', 'docker-registry', 'r'] },
  { args: ['create', 'secret', 'docker-registry', 'r', '--docker-username=u'] },
  { args: ['create', 'service', 'clusterip', 's'] },
  { args: ['create', 'service', 'clusterip', 's', '--tcp=x:1'] },
  { args: ['create', 'service', 'clusterip', 's', '--tcp=70000'] },
  { args: ['create', 'service', 'clusterip', 's', '--tcp=1:0'] },
  { args: ['create', 'service', 'clusterip', 's', '--tcp=1:-Ab--'] },
  { args: ['create', 'service', 'clusterip', 's', '--tcp=1:abcdefghijklmnop'] },
  { args: ['create', 'service', 'nodeport', 's'] },
  { args: ['create', 'service', 'externalname', 's'] },
  { args: ['create', 'service', 'externalname', 's', '--external-name=Not_A_Name'] },
  { args: ['create', 'role', 'r', '--verb=get', '--resource=foo'], server: true },
  { args: ['create', 'role', 'r', '--verb=get', '--resource=Foo.bar'], server: true },
  { args: ['create', 'role', 'r', '--verb=use', '--resource=pods'], server: true },
  { args: ['create', 'role', 'r', '--verb=get', '--verb=fetch', '--resource=pods,DEPLOY'], server: true },
  { args: ['create', 'role', 'r', '--verb=get', '--resource=/x'], server: true },
  { args: ['create', 'role', 'r', '--verb=get'], server: true },
  { args: ['create', 'role', 'r', '--resource=pods'], server: true },
  { args: ['create', 'clusterrole', 'c', '--aggregation-rule=a'], server: true },
  { args: ['create', 'clusterrole', 'c', '--aggregation-rule=a=b', '--verb=get'], server: true },
  { args: ['create', 'clusterrole', 'c', '--verb=get'], server: true },
  { args: ['create', 'clusterrole', 'c', '--verb=fetch', '--non-resource-url=/x'], server: true },
  { args: ['create', 'clusterrole', 'c', '--verb=get', '--non-resource-url=x'], server: true },
  { args: ['create', 'clusterrole', 'c', '--verb=get', '--non-resource-url=/*x'], server: true },
  { args: ['create', 'rolebinding', 'rb'] },
  { args: ['create', 'rolebinding', 'rb', '--role=a', '--clusterrole=b'] },
  { args: ['create', 'rolebinding', 'rb', '--role=a', '--serviceaccount=robot'] },
  { args: ['create', 'clusterrolebinding', 'crb'] },
  { args: ['create', 'clusterrolebinding', 'crb', '--clusterrole=a', '--serviceaccount=:x'] },
  { args: ['create', 'ingress', 'i'] },
  { args: ['create', 'ingress', 'i', '--rule=nopath'] },
  { args: ['create', 'ingress', 'i', '--default-backend=svc'] },
  { args: ['create', 'ingress', 'i', '--rule=a/b=c:d', '--annotation=novalue'] },
  { args: ['create', 'pdb', 'p', '--min-available=1'] },
  { args: ['create', 'pdb', 'p', '--selector=a'] },
  { args: ['create', 'pdb', 'p', '--selector=a', '--min-available=1', '--max-unavailable=1'] },
  { args: ['create', 'pdb', 'p', '--selector=a', '--min-available=one'] },
  { args: ['create', 'pdb', 'p', '--selector=a!=b', '--min-available=1'] },
  { args: ['create', 'pdb', 'p', '--selector=a>1', '--min-available=1'] },
  { args: ['create', 'quota', 'q', '--hard=cpu'] },
  { args: ['create', 'quota', 'q', '--hard=cpu=lots'] },
  { args: ['create', 'quota', 'q', '--scopes=a,,b'] },
];

let server: FakeServer | undefined;

async function oracle(c: Case, extra: string[]): Promise<OracleResult> {
  const args = withFlags(at(c.args), extra);
  if (c.server) return runOracleAgainst(server!, args);
  return runOracle(args, { env: ENV });
}

function assertSame(ours: CliResult, theirs: OracleResult): void {
  assert.equal(normalizeKlog(ours.stderr), normalizeKlog(theirs.stderr), 'stderr');
  assert.equal(ours.stdout, theirs.stdout, 'stdout');
  assert.equal(ours.status, theirs.status, 'exit status');
}

describe('create generators: client dry-run against the real kubectl', { skip: oracleSkip }, () => {
  const home = tempHome();
  before(async () => {
    writeFiles();
    server = await startFakeServer();
  });
  after(async () => {
    await server?.close();
  });

  for (const c of OBJECT_CASES) {
    for (const output of ['yaml', 'json']) {
      it(`${c.args.join(' ')} -o ${output}`, async () => {
        const extra = ['--dry-run=client', '-o', output];
        assertSame(kubemu(home, withFlags(at(c.args), extra), { env: ENV }), await oracle(c, extra));
      });
    }
  }

  it('prints `kind/name created (dry run)` and -o name like kubectl', async () => {
    for (const c of [OBJECT_CASES[0], OBJECT_CASES[4], OBJECT_CASES[24], OBJECT_CASES[42]]) {
      for (const extra of [['--dry-run=client'], ['--dry-run=client', '-o', 'name'], ['--dry-run']]) {
        assertSame(kubemu(home, withFlags(at(c.args), extra), { env: ENV }), await oracle(c, extra));
      }
    }
  });

  it('supports jsonpath output of the generated object', async () => {
    const c = OBJECT_CASES[1];
    const extra = ['--dry-run=client', '-o', 'jsonpath={.spec.template.spec.containers[*].name}'];
    assertSame(kubemu(home, withFlags(at(c.args), extra), { env: ENV }), await oracle(c, extra));
  });

  for (const c of ERROR_CASES) {
    it(`error: ${c.args.join(' ')}`, async () => {
      const extra = c.args.some((a) => a.startsWith('--dry-run')) ? [] : ['--dry-run=client'];
      const theirs = await oracle(c, extra);
      assert.notEqual(theirs.status, 0, 'the oracle accepts this case');
      assertSame(kubemu(home, withFlags(at(c.args), extra), { env: ENV }), theirs);
    });
  }
});

describe('create generators: for real', () => {
  it('creates objects the server defaults, in the namespace of -n or the context', () => {
    const home = tempHome();
    assert.equal(kubemu(home, ['create', 'namespace', 'prod']).stdout, 'namespace/prod created\n');
    const r = kubemu(home, ['create', 'deployment', 'web', '--image=nginx', '-n', 'prod', '--port=80']);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, 'deployment.apps/web created\n');
    const got = parseYaml(kubemu(home, ['get', 'deployment', 'web', '-n', 'prod', '-o', 'yaml']).stdout) as {
      metadata: { namespace: string; labels: Record<string, string> };
      spec: { strategy: { type: string }; progressDeadlineSeconds: number; template: { spec: { containers: Record<string, unknown>[]; dnsPolicy: string } } };
    };
    assert.equal(got.metadata.namespace, 'prod');
    assert.deepEqual(got.metadata.labels, { app: 'web' });
    assert.equal(got.spec.strategy.type, 'RollingUpdate');
    assert.equal(got.spec.progressDeadlineSeconds, 600);
    const container = got.spec.template.spec.containers[0];
    assert.equal(container.terminationMessagePath, '/dev/termination-log');
    assert.equal(container.imagePullPolicy, 'Always');
    assert.deepEqual(container.ports, [{ containerPort: 80, protocol: 'TCP' }]);
    assert.equal(got.spec.template.spec.dnsPolicy, 'ClusterFirst');

    assert.equal(kubemu(home, ['create', 'service', 'nodeport', 'web', '--tcp=80:8080', '-n', 'prod']).stdout, 'service/web created\n');
    const svc = parseYaml(kubemu(home, ['get', 'service', 'web', '-n', 'prod', '-o', 'yaml']).stdout) as {
      spec: { type: string; clusterIP: string; ports: { nodePort: number; targetPort: number }[]; sessionAffinity: string };
    };
    assert.equal(svc.spec.type, 'NodePort');
    assert.match(svc.spec.clusterIP, /^10\.\d+\.\d+\.\d+$/);
    assert.ok(svc.spec.ports[0].nodePort >= 30000 && svc.spec.ports[0].nodePort <= 32767);
    assert.equal(svc.spec.ports[0].targetPort, 8080);
    assert.equal(svc.spec.sessionAffinity, 'None');

    assert.equal(kubemu(home, ['create', 'configmap', 'cfg', '--from-literal=a=1']).stdout, 'configmap/cfg created\n');
    assert.equal(kubemu(home, ['get', 'configmap', 'cfg', '-o', 'jsonpath={.metadata.namespace} {.data.a}']).stdout, 'default 1');
    assert.equal(kubemu(home, ['create', 'clusterrole', 'view-pods', '--verb=get', '--resource=pods']).stdout, 'clusterrole.rbac.authorization.k8s.io/view-pods created\n');
    assert.equal(
      kubemu(home, ['create', 'deployment', 'dry', '--image=nginx', '--dry-run=server']).stdout,
      'deployment.apps/dry created (server dry run)\n',
    );
    assert.equal(kubemu(home, ['get', 'deployment', 'dry']).status, 1, 'server dry run must not persist');
  });

  it('wraps AlreadyExists as each generator does', () => {
    const home = tempHome();
    const again = (args: string[], expected: string) => {
      assert.equal(kubemu(home, args).status, 0, `first ${args.join(' ')}`);
      const r = kubemu(home, args);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, `${expected}\n`);
      assert.equal(r.status, 1);
    };
    again(['create', 'namespace', 'dev'], 'Error from server (AlreadyExists): namespaces "dev" already exists');
    again(['create', 'deployment', 'd1', '--image=nginx'], 'error: failed to create deployment: deployments.apps "d1" already exists');
    again(['create', 'configmap', 'c'], 'error: failed to create configmap: configmaps "c" already exists');
    again(['create', 'secret', 'generic', 's'], 'error: failed to create secret secrets "s" already exists');
    again(['create', 'service', 'clusterip', 's', '--tcp=80'], 'error: failed to create ClusterIP service: services "s" already exists');
    again(['create', 'serviceaccount', 'sa'], 'error: failed to create serviceaccount: serviceaccounts "sa" already exists');
    again(['create', 'job', 'j', '--image=busybox'], 'error: failed to create job: jobs.batch "j" already exists');
    again(['create', 'cronjob', 'cj', '--image=busybox', '--schedule=@daily'], 'error: failed to create cronjob: cronjobs.batch "cj" already exists');
    again(['create', 'role', 'r', '--verb=get', '--resource=pods'], 'Error from server (AlreadyExists): roles.rbac.authorization.k8s.io "r" already exists');
    again(
      ['create', 'rolebinding', 'rb', '--role=r'],
      'error: failed to create rolebinding: rolebindings.rbac.authorization.k8s.io "rb" already exists',
    );
    again(
      ['create', 'clusterrolebinding', 'crb', '--clusterrole=view'],
      'error: failed to create clusterrolebinding: clusterrolebindings.rbac.authorization.k8s.io "crb" already exists',
    );
    again(['create', 'quota', 'q'], 'error: failed to create quota: resourcequotas "q" already exists');
    again(
      ['create', 'pdb', 'p', '--selector=a=b', '--min-available=1'],
      'error: failed to create poddisruptionbudgets: poddisruptionbudgets.policy "p" already exists',
    );
    again(['create', 'ingress', 'i', '--default-backend=s:80'], 'error: failed to create ingress: ingresses.networking.k8s.io "i" already exists');
  });

  it('--save-config stores the generated object (Go field order) as the last applied configuration', () => {
    const home = tempHome();
    kubemu(home, ['create', 'deployment', 'web', '--image=nginx', '--save-config']);
    const applied = kubemu(home, ['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}']);
    assert.equal(
      applied.stdout,
      '{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"web","creationTimestamp":null,"labels":{"app":"web"}},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx","resources":{}}]}},"strategy":{}},"status":{}}\n',
    );
  });
});

describe('create generators: the server answer printed as typed objects', { skip: oracleSkip }, () => {
  // kubectl decodes the server's answer into its Go type before printing: -o json
  // in field order, unknown fields dropped, zero values filled in. The fake server
  // gives the oracle the object kubemu's server made (for kinds no controller
  // changes right after creation, exactly what `get` returns).
  const CASES: { args: string[]; get: string[] }[] = [
    { args: ['create', 'configmap', 'cfg', '--from-literal=b=2', '--from-literal=a=1'], get: ['configmap', 'cfg'] },
    { args: ['create', 'secret', 'generic', 's', '--from-literal=k=v'], get: ['secret', 's'] },
    { args: ['create', 'serviceaccount', 'robot'], get: ['serviceaccount', 'robot'] },
    { args: ['create', 'service', 'clusterip', 'svc', '--tcp=80:8080'], get: ['service', 'svc'] },
    { args: ['create', 'role', 'r', '--verb=get', '--resource=pods'], get: ['role', 'r'] },
    { args: ['create', 'rolebinding', 'rb', '--clusterrole=view', '--group=devs'], get: ['rolebinding', 'rb'] },
    { args: ['create', 'clusterrolebinding', 'crb', '--clusterrole=view', '--group=devs'], get: ['clusterrolebinding', 'crb'] },
    { args: ['create', 'ingress', 'ing', '--rule=a.com/x=s:80'], get: ['ingress', 'ing'] },
  ];
  for (const c of CASES) {
    it(`${c.args.join(' ')} -o json`, async () => {
      const home = tempHome();
      const ours = kubemu(home, [...c.args, '-o', 'json']);
      assert.equal(ours.status, 0, ours.stderr);
      const live = JSON.parse(kubemu(home, ['get', ...c.get, '-o', 'json']).stdout) as Record<string, unknown>;
      const fake = await startFakeServer({ createResponse: () => live });
      try {
        const theirs = await runOracleAgainst(fake, [...c.args, '-o', 'json']);
        assert.equal(theirs.stderr, '');
        assert.equal(ours.stdout, theirs.stdout);
      } finally {
        await fake.close();
      }
    });
  }

  it('deployment (status changes after creation): the printed answer is stable under kubectl decoding', async () => {
    const home = tempHome();
    const args = ['create', 'deployment', 'web', '--image=nginx', '--port=80', '-o', 'json'];
    const ours = kubemu(home, args);
    const fake = await startFakeServer({ createResponse: () => JSON.parse(ours.stdout) as Record<string, unknown> });
    try {
      assert.equal(ours.stdout, (await runOracleAgainst(fake, args)).stdout);
    } finally {
      await fake.close();
    }
  });
});

describe('create job --from=cronjob', { skip: oracleSkip }, () => {
  it('instantiates the cron job template as kubectl does', async () => {
    const home = tempHome();
    assert.equal(
      kubemu(home, ['create', 'cronjob', 'nightly', '--image=busybox', '--schedule=0 3 * * *', '--', 'echo', 'hi']).status,
      0,
    );
    assert.equal(kubemu(home, ['create', 'deployment', 'web', '--image=nginx']).status, 0);
    const cronJob = JSON.parse(kubemu(home, ['get', 'cronjob', 'nightly', '-o', 'json']).stdout) as Record<string, unknown>;
    const deployment = JSON.parse(kubemu(home, ['get', 'deployment', 'web', '-o', 'json']).stdout) as Record<string, unknown>;
    const fake = await startFakeServer({ objects: [cronJob, deployment] });
    try {
      for (const extra of [['-o', 'yaml'], ['-o', 'json'], ['-n', 'default', '-o', 'json'], []]) {
        const args = ['create', 'job', 'manual-1', '--from=cronjob/nightly', '--dry-run=client', ...extra];
        assertSame(kubemu(home, args), await runOracleAgainst(fake, args));
      }
      for (const from of ['cronjob/missing', 'cj/missing', 'foo/x', 'cronjob', 'deployment/web']) {
        const args = ['create', 'job', 'j', `--from=${from}`, '--dry-run=client'];
        assertSame(kubemu(home, args), await runOracleAgainst(fake, args));
      }
    } finally {
      await fake.close();
    }
    const r = kubemu(home, ['create', 'job', 'manual-1', '--from=cronjob/nightly']);
    assert.equal(r.stdout, 'job.batch/manual-1 created\n');
    const job = JSON.parse(kubemu(home, ['get', 'job', 'manual-1', '-o', 'json']).stdout) as {
      metadata: { annotations: Record<string, string>; ownerReferences: { kind: string; name: string; controller: boolean }[] };
    };
    assert.equal(job.metadata.annotations['cronjob.kubernetes.io/instantiate'], 'manual');
    assert.deepEqual(
      job.metadata.ownerReferences.map((o) => [o.kind, o.name, o.controller]),
      [['CronJob', 'nightly', true]],
    );
  });
});
