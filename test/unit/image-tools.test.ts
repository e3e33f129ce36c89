import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import YAML from 'yaml';
import type { Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../src/api/types';
import { ApiServer } from '../../src/api/server';
import { kind } from '../../src/api/registry';
import { isPodReady } from '../../src/api/podutil';
import { bootstrapState } from '../../src/cluster/bootstrap';
import { catchUp } from '../../src/reconciler/reconciler';
import { Clock } from '../../src/sim/clock';
import { Rng } from '../../src/util/rand';
import { runToCompletion } from '../../src/sim/shell';
import type { RunResult } from '../../src/sim/shell';
import { containerEnv, containerWorld } from '../../src/sim/kubelet/container-world';
import { javaDate, javaHashOrder } from '../../src/sim/images/tools/zookeeper';
import { globMatch, splitLine, uuidFrom } from '../../src/sim/images/tools/common';

// The images' own programs (redis-cli, zkCli.sh, start-zookeeper, nodetool...)
// run through the shell inside simulated containers of an in-process cluster.

process.env.TZ = 'UTC';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const EXAMPLES = path.join(ROOT, 'manifests', 'examples');

type P = Pod & KubeObject;

class Cluster {
  readonly api: ApiServer;

  constructor(nodes = 1) {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kubemu-tools-'));
    const env = { KUBEMU_SEED: '7', KUBEMU_CLOCK: 'manual', KUBEMU_NODES: String(nodes) };
    const state = bootstrapState(env, home);
    this.api = new ApiServer({ state, clock: new Clock(state.clock), rng: new Rng(state.rng), env, home });
    this.settle();
  }

  private settle(): void {
    catchUp(this.api);
    this.api.at = undefined;
  }

  // Creates (or replaces the data of) the objects of a manifest, all before the
  // controllers run, as one `kubectl apply` does.
  apply(text: string): void {
    for (const doc of YAML.parseAllDocuments(text)) {
      const obj = doc.toJS() as KubeObject | null;
      if (!obj || obj.kind === 'PodDisruptionBudget') continue;
      const info = kind(obj.kind);
      const old = this.api.peek(info, info.namespaced ? (obj.metadata.namespace ?? 'default') : undefined, obj.metadata.name ?? '');
      if (old) this.api.update({ ...old, ...obj, metadata: { ...old.metadata } } as KubeObject);
      else this.api.create({ ...obj, metadata: { namespace: info.namespaced ? 'default' : undefined, ...obj.metadata } } as KubeObject);
    }
    this.settle();
  }

  example(file: string): void {
    this.apply(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));
  }

  advance(ms: number): void {
    this.api.world.clock.advance(ms);
    this.settle();
  }

  delete(kindName: string, name: string): void {
    this.api.delete(kind(kindName), 'default', name);
    this.settle();
  }

  pod(name: string): P {
    const p = this.api.peek(kind('Pod'), 'default', name) as P | undefined;
    assert.ok(p, `pod ${name} exists`);
    return p;
  }

  // kubectl exec, as src/cli/verbs/exec.ts runs it.
  exec(podName: string, argv: string[], opts: { tty?: boolean; stdin?: string } = {}): RunResult {
    const pod = this.pod(podName);
    const c = pod.spec!.containers[0];
    const rt = this.api.world.state.runtime[pod.metadata.uid ?? ''];
    const r = runToCompletion(argv, containerWorld(this.api, pod, c, rt, { tty: opts.tty }), this.api.now(), {
      env: containerEnv(this.api, pod, c),
      hostname: pod.spec?.hostname ?? pod.metadata.name,
      image: c.image,
      stdin: opts.stdin === undefined ? 'null' : { data: opts.stdin },
      timeoutMs: 60_000,
    });
    this.settle();
    return r;
  }
}

const REDIS_CONFIG = (text: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: example-redis-config
data:
  redis-config: ${JSON.stringify(text)}
`;

describe('helpers', () => {
  it('orders names as Java hash sets do (zkCli usage, znode children)', () => {
    const commands = ['connect', 'close', 'create', 'delete', 'rmr', 'set', 'get', 'ls', 'ls2', 'getAcl', 'setAcl', 'stat', 'sync', 'setquota', 'listquota', 'delquota', 'history', 'redo', 'printwatches', 'quit', 'addauth'];
    // The order ZooKeeper 3.4's zkCli prints its usage in.
    assert.deepEqual(javaHashOrder(commands, 16), [
      'stat', 'set', 'ls', 'delquota', 'ls2', 'setAcl', 'setquota', 'history', 'redo', 'printwatches', 'delete', 'sync', 'listquota', 'rmr', 'get', 'create', 'addauth', 'quit', 'getAcl', 'close', 'connect',
    ]);
  });

  it('prints dates as java.util.Date does', () => {
    assert.equal(javaDate(Date.UTC(2016, 11, 8, 15, 13, 30)), 'Thu Dec 08 15:13:30 UTC 2016');
    assert.equal(javaDate(0), 'Thu Jan 01 00:00:00 UTC 1970');
  });

  it('matches globs and splits command lines like redis-cli', () => {
    assert.ok(globMatch('maxmemory*', 'maxmemory-policy'));
    assert.ok(!globMatch('maxmemory', 'maxmemory-policy'));
    assert.ok(globMatch('h?llo', 'hello') && globMatch('h[ae]llo', 'hallo') && !globMatch('h[^e]llo', 'hello'));
    assert.deepEqual(splitLine('SET greeting "hello world"'), ['SET', 'greeting', 'hello world']);
    assert.equal(splitLine('GET "unterminated'), undefined);
    assert.match(uuidFrom('x'), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(uuidFrom('x'), uuidFrom('x'));
  });
});

describe('redis-cli', () => {
  const c = new Cluster();
  c.apply(REDIS_CONFIG(''));
  c.example('pods/config/redis-pod.yaml');
  c.advance(60_000);

  it('answers CONFIG GET with the defaults of a server started without settings', () => {
    assert.ok(isPodReady(c.pod('redis')));
    const r = c.exec('redis', ['redis-cli', 'CONFIG', 'GET', 'maxmemory']);
    assert.equal(r.stdout, 'maxmemory\n0\n');
    assert.equal(r.exitCode, 0);
    assert.equal(c.exec('redis', ['redis-cli', 'CONFIG', 'GET', 'maxmemory-policy']).stdout, 'maxmemory-policy\nnoeviction\n');
  });

  it('keeps the configuration read at start until the pod is re-created', () => {
    c.apply(REDIS_CONFIG('maxmemory 2mb\nmaxmemory-policy allkeys-lru\n'));
    c.advance(60_000);
    // The mounted file shows the new data, the server does not.
    assert.equal(c.exec('redis', ['cat', '/usr/local/etc/redis/redis.conf']).stdout, 'maxmemory 2mb\nmaxmemory-policy allkeys-lru\n');
    assert.equal(c.exec('redis', ['redis-cli', 'CONFIG', 'GET', 'maxmemory']).stdout, 'maxmemory\n0\n');
    c.delete('Pod', 'redis');
    c.advance(60_000);
    c.example('pods/config/redis-pod.yaml');
    c.advance(60_000);
    assert.equal(c.exec('redis', ['redis-cli', 'CONFIG', 'GET', 'maxmemory']).stdout, 'maxmemory\n2097152\n');
  });

  it('prints the numbered, quoted format on a terminal', () => {
    // kubectl exec -it redis -- redis-cli, then one command at a time.
    const get = (line: string) => c.exec('redis', ['redis-cli'], { tty: true, stdin: `${line}\n` }).stdout;
    assert.equal(get('CONFIG GET maxmemory'), '1) "maxmemory"\n2) "2097152"\n');
    assert.equal(get('CONFIG GET maxmemory-policy'), '1) "maxmemory-policy"\n2) "allkeys-lru"\n');
    assert.equal(get('PING'), 'PONG\n');
    assert.equal(get('GET nothing'), '(nil)\n');
    assert.equal(get('KEYS nothing*'), '(empty list or set)\n');
    assert.equal(get('SET greeting "hello world"'), 'OK\n');
    assert.equal(get('GET greeting'), '"hello world"\n');
    assert.equal(get('INCR greeting'), '(error) ERR value is not an integer or out of range\n');
    assert.equal(get('FOO bar'), '(error) ERR unknown command `FOO`, with args beginning with: `bar`, \n');
    assert.equal(get('GET'), "(error) ERR wrong number of arguments for 'get' command\n");
  });

  it('reads commands from standard input and keeps keys per server', () => {
    const r = c.exec('redis', ['redis-cli'], { stdin: 'SET n 41\nINCR n\nGET n\nEXISTS n nope\nCONFIG GET maxmemory*\nquit\nPING\n' });
    assert.equal(r.stdout, 'OK\n42\n42\n1\nmaxmemory\n2097152\nmaxmemory-policy\nallkeys-lru\nmaxmemory-samples\n5\n');
    assert.equal(c.exec('redis', ['redis-cli', 'GET', 'n']).stdout, '42\n');
    assert.equal(c.exec('redis', ['sh', '-c', 'redis-cli ping && redis-cli echo hi']).stdout, 'PONG\nhi\n');
  });

  it('says when nothing listens', () => {
    const r = c.exec('redis', ['redis-cli', '-p', '6380', 'PING']);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'Could not connect to Redis at 127.0.0.1:6380: Connection refused\n');
    assert.equal(r.exitCode, 1);
  });

  it('serves the old tutorial image from the file at /redis-master', () => {
    c.apply(`apiVersion: v1
kind: Pod
metadata:
  name: redis-v1
spec:
  containers:
  - name: redis
    image: kubernetes/redis:v1
    env:
    - name: MASTER
      value: "true"
    ports:
    - containerPort: 6379
    volumeMounts:
    - mountPath: /redis-master-data
      name: data
    - mountPath: /redis-master
      name: config
  volumes:
  - name: data
    emptyDir: {}
  - name: config
    configMap:
      name: example-redis-config
      items:
      - key: redis-config
        path: redis.conf
`);
    c.advance(60_000);
    const get = (line: string) => c.exec('redis-v1', ['redis-cli'], { tty: true, stdin: `${line}\n` }).stdout;
    assert.equal(get('CONFIG GET maxmemory'), '1) "maxmemory"\n2) "2097152"\n');
    assert.equal(get('CONFIG GET maxmemory-policy'), '1) "maxmemory-policy"\n2) "allkeys-lru"\n');
    assert.equal(get('FOO'), "(error) ERR unknown command 'FOO'\n");
  });
});

describe('redis-cli in the guestbook', () => {
  it('reads the leader\'s keys on a follower, which refuses writes', () => {
    const c = new Cluster();
    // The leader as the guestbook's current manifests label it (role: leader).
    c.apply(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: redis-leader
spec:
  selector:
    matchLabels: {app: redis, role: leader, tier: backend}
  template:
    metadata:
      labels: {app: redis, role: leader, tier: backend}
    spec:
      containers:
      - name: leader
        image: docker.io/redis:6.0.5
        ports:
        - containerPort: 6379
`);
    for (const f of ['redis-leader-service.yaml', 'redis-follower-deployment.yaml']) c.example(`application/guestbook/${f}`);
    c.advance(2 * 60_000);
    const pods = c.api.peekList(kind('Pod'), { namespace: 'default' }) as P[];
    const leader = pods.find((p) => p.metadata.name?.startsWith('redis-leader-'))?.metadata.name ?? '';
    const follower = pods.find((p) => p.metadata.name?.startsWith('redis-follower-'))?.metadata.name ?? '';
    assert.ok(leader && follower);
    assert.equal(c.exec(leader, ['redis-cli', 'SET', 'messages', ',hello']).stdout, 'OK\n');
    assert.equal(c.exec(follower, ['redis-cli', 'GET', 'messages']).stdout, ',hello\n');
    assert.equal(c.exec(follower, ['redis-cli', '-h', 'redis-leader', 'GET', 'messages']).stdout, ',hello\n');
    assert.equal(c.exec(follower, ['redis-cli', 'SET', 'messages', 'x']).stdout, "READONLY You can't write against a read only replica.\n\n");
  });
});

describe('ZooKeeper', () => {
  const c = new Cluster(4);
  c.example('application/zookeeper/zookeeper.yaml');
  c.advance(3 * 60_000);

  it('start-zookeeper writes the configuration and the servers become ready through zookeeper-ready', () => {
    for (const i of [0, 1, 2]) {
      assert.ok(isPodReady(c.pod(`zk-${i}`)), `zk-${i} ready`);
      assert.equal(c.exec(`zk-${i}`, ['cat', '/var/lib/zookeeper/data/myid']).stdout, `${i + 1}\n`);
    }
    assert.equal(
      c.exec('zk-0', ['cat', '/opt/zookeeper/conf/zoo.cfg']).stdout,
      [
        '#This file was autogenerated DO NOT EDIT',
        'clientPort=2181',
        'dataDir=/var/lib/zookeeper/data',
        'dataLogDir=/var/lib/zookeeper/data/log',
        'tickTime=2000',
        'initLimit=10',
        'syncLimit=5',
        'maxClientCnxns=60',
        'minSessionTimeout=4000',
        'maxSessionTimeout=40000',
        'autopurge.snapRetainCount=3',
        'autopurge.purgeInteval=12',
        'server.1=zk-0.zk-hs.default.svc.cluster.local:2888:3888',
        'server.2=zk-1.zk-hs.default.svc.cluster.local:2888:3888',
        'server.3=zk-2.zk-hs.default.svc.cluster.local:2888:3888',
        '',
      ].join('\n'),
    );
    assert.equal(
      c.exec('zk-0', ['cat', '/usr/etc/zookeeper/log4j.properties']).stdout,
      [
        'zookeeper.root.logger=CONSOLE',
        'zookeeper.console.threshold=INFO',
        'log4j.rootLogger=${zookeeper.root.logger}',
        'log4j.appender.CONSOLE=org.apache.log4j.ConsoleAppender',
        'log4j.appender.CONSOLE.Threshold=${zookeeper.console.threshold}',
        'log4j.appender.CONSOLE.layout=org.apache.log4j.PatternLayout',
        'log4j.appender.CONSOLE.layout.ConversionPattern=%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n',
        '',
      ].join('\n'),
    );
    assert.equal(c.exec('zk-1', ['cat', '/opt/zookeeper/conf/java.env']).stdout, 'ZOO_LOG_DIR=/var/log/zookeeper\nJVMFLAGS="-Xmx512M -Xms512M"\n');
    const probe = c.exec('zk-0', ['sh', '-c', 'zookeeper-ready 2181']);
    assert.equal(probe.exitCode, 0);
    assert.equal(probe.stdout + probe.stderr, '');
    assert.equal(c.exec('zk-0', ['sh', '-c', 'zookeeper-ready 2182']).exitCode, 1);
  });

  it('zkCli.sh writes on one server and reads on another', () => {
    const created = c.exec('zk-0', ['zkCli.sh', 'create', '/hello', 'world']);
    assert.equal(created.stdout, '\nWATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\n');
    assert.equal(created.stderr, 'Created /hello\n');
    assert.equal(created.exitCode, 0);
    const at = javaDate(c.api.now());
    const got = c.exec('zk-1', ['zkCli.sh', 'get', '/hello']);
    assert.equal(got.stdout, '\nWATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\nworld\n');
    assert.equal(
      got.stderr,
      `cZxid = 0x100000002\nctime = ${at}\nmZxid = 0x100000002\nmtime = ${at}\npZxid = 0x100000002\ncversion = 0\ndataVersion = 0\naclVersion = 0\nephemeralOwner = 0x0\ndataLength = 5\nnumChildren = 0\n`,
    );
  });

  it('reports ZooKeeper errors as zkCli prints them', () => {
    assert.equal(c.exec('zk-2', ['zkCli.sh', 'create', '/hello', 'again']).stderr, 'Node already exists: /hello\n');
    assert.equal(c.exec('zk-2', ['zkCli.sh', 'get', '/nope']).stderr, 'Node does not exist: /nope\n');
    assert.equal(c.exec('zk-2', ['zkCli.sh', 'create', 'bad', 'x']).stderr, 'Command failed: java.lang.IllegalArgumentException: Path must start with / character\n');
    const ls = c.exec('zk-2', ['zkCli.sh', 'ls', '/']);
    assert.equal(ls.stdout, '\nWATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\n[hello, zookeeper]\n');
    const usage = c.exec('zk-2', ['zkCli.sh', 'help']).stderr;
    assert.ok(usage.startsWith('ZooKeeper -server host:port cmd args\n\tstat path [watch]\n\tset path data [version]\n'), usage);
  });

  it('answers the four-letter words through nc', () => {
    assert.equal(c.exec('zk-2', ['sh', '-c', 'echo ruok | nc 127.0.0.1 2181']).stdout, 'imok');
    const srvr = c.exec('zk-0', ['sh', '-c', 'echo srvr | nc zk-1.zk-hs 2181']).stdout;
    assert.match(srvr, /^Zookeeper version: 3\.4\.10-39d3a4f269333c922ed3db283be479f9deacaa0f, built on 03\/23\/2017 10:13 GMT\n/);
    assert.match(srvr, /\nMode: (leader|follower)\nNode count: 5\n$/);
  });

  it('keeps the znodes when the StatefulSet is re-created, and loses them with its volumes', () => {
    c.delete('StatefulSet', 'zk');
    c.advance(2 * 60_000);
    assert.equal(c.api.peekList(kind('Pod'), { namespace: 'default' }).filter((p) => p.metadata.name?.startsWith('zk-')).length, 0);
    c.example('application/zookeeper/zookeeper.yaml');
    c.advance(3 * 60_000);
    const got = c.exec('zk-2', ['zkCli.sh', 'get', '/hello']);
    assert.match(got.stdout, /\nworld\n$/);
    assert.match(got.stderr, /^cZxid = 0x100000002\n/);
    c.delete('StatefulSet', 'zk');
    for (const i of [0, 1, 2]) c.delete('PersistentVolumeClaim', `datadir-zk-${i}`);
    c.advance(2 * 60_000);
    c.example('application/zookeeper/zookeeper.yaml');
    c.advance(3 * 60_000);
    assert.equal(c.exec('zk-2', ['zkCli.sh', 'get', '/hello']).stderr, 'Node does not exist: /hello\n');
  });

  it('fails the probes once zookeeper-ready is removed, until the container is restarted', () => {
    const rm = c.exec('zk-0', ['rm', '/opt/zookeeper/bin/zookeeper-ready']);
    assert.equal(rm.exitCode, 0);
    const probe = c.exec('zk-0', ['sh', '-c', 'zookeeper-ready 2181']);
    assert.equal(probe.exitCode, 127);
    assert.equal(probe.stderr, 'sh: 1: zookeeper-ready: not found\n');
    const before = c.pod('zk-0').status?.containerStatuses?.[0].restartCount ?? 0;
    c.advance(2 * 60_000);
    const after = c.pod('zk-0');
    assert.ok((after.status?.containerStatuses?.[0].restartCount ?? 0) > before);
    assert.ok(isPodReady(after));
    assert.equal(c.exec('zk-0', ['sh', '-c', 'zookeeper-ready 2181']).exitCode, 0);
  });

  it('loses connection without a quorum', () => {
    const single = new Cluster(1);
    single.example('application/zookeeper/zookeeper.yaml');
    single.advance(2 * 60_000);
    // Anti-affinity keeps zk-1 and zk-2 pending on one node.
    assert.ok(isPodReady(single.pod('zk-0')));
    assert.equal(single.pod('zk-1').status?.phase, 'Pending');
    const r = single.exec('zk-0', ['zkCli.sh', 'create', '/hello', 'world']);
    assert.equal(r.stderr, 'Exception in thread "main" org.apache.zookeeper.KeeperException$ConnectionLossException: KeeperErrorCode = ConnectionLoss for /hello\n');
    assert.equal(r.exitCode, 1);
  });
});

describe('Cassandra', () => {
  const c = new Cluster(4);
  c.example('application/cassandra/cassandra-service.yaml');
  c.example('application/cassandra/cassandra-statefulset.yaml');
  c.advance(6 * 60_000);

  const ROW = /^(UN|DN) {2}(\d+\.\d+\.\d+\.\d+) +(\d+(?:\.\d{1,2})? KiB) +32 {11}(\d+\.\d%) +([0-9a-f-]{36}) {2}Rack1-K8Demo$/;

  it('becomes ready through /ready-probe.sh and lists the ring', () => {
    for (const i of [0, 1, 2]) assert.ok(isPodReady(c.pod(`cassandra-${i}`)), `cassandra-${i} ready`);
    const r = c.exec('cassandra-0', ['nodetool', 'status']);
    assert.equal(r.exitCode, 0);
    const lines = r.stdout.split('\n');
    assert.deepEqual(lines.slice(0, 5), [
      'Datacenter: DC1-K8Demo',
      '======================',
      'Status=Up/Down',
      '|/ State=Normal/Leaving/Joining/Moving',
      `--  Address${' '.repeat(lines[5].indexOf('  ', 4) - 11)}  Load       Tokens       Owns (effective)  Host ID                               Rack`,
    ]);
    const rows = lines.slice(5, 8).map((l) => ROW.exec(l));
    assert.ok(rows.every((m) => m && m[1] === 'UN'), r.stdout);
    const ips = [0, 1, 2].map((i) => c.pod(`cassandra-${i}`).status?.podIP).sort();
    assert.deepEqual(rows.map((m) => m![2]).sort(), ips);
    // Effective ownership with two replicas adds up to 200%.
    const owns = rows.reduce((sum, m) => sum + Number(m![4].slice(0, -1)), 0);
    assert.ok(Math.abs(owns - 200) < 0.5, String(owns));
    assert.deepEqual(lines.slice(8), ['', '']);
  });

  it('keeps a node\'s Host ID when its pod is re-created on the same volume', () => {
    const idOf = (out: string, ip: string) => out.split('\n').find((l) => l.includes(`  ${ip}  `))?.split(/\s+/)[5];
    const ip0 = c.pod('cassandra-1').status?.podIP ?? '';
    const before = idOf(c.exec('cassandra-0', ['nodetool', 'status']).stdout, ip0);
    assert.ok(before);
    c.delete('Pod', 'cassandra-1');
    c.advance(10_000);
    const down = c.exec('cassandra-0', ['nodetool', 'status']).stdout;
    assert.match(down, new RegExp(`\\nDN  ${ip0.replace(/\./g, '\\.')} `));
    c.advance(3 * 60_000);
    const ip1 = c.pod('cassandra-1').status?.podIP ?? '';
    assert.equal(idOf(c.exec('cassandra-0', ['nodetool', 'status']).stdout, ip1), before);
  });

  it('reports a node that is not up yet', () => {
    const r = c.exec('cassandra-0', ['nodetool', '-h', '127.0.0.1', '-p', '7198', 'status']);
    assert.equal(r.stderr, "nodetool: Failed to connect to '127.0.0.1:7198' - ConnectException: 'Connection refused (Connection refused)'.\n");
    assert.equal(r.exitCode, 1);
    assert.equal(c.exec('cassandra-0', ['nodetool', 'version']).stdout, 'ReleaseVersion: 3.11.2\n');
  });
});

describe('mysqladmin', () => {
  it('pings the server once it is up', () => {
    const c = new Cluster();
    c.apply(`apiVersion: v1
kind: Pod
metadata:
  name: db
spec:
  containers:
  - name: mysql
    image: mysql:8.0
    env:
    - name: MYSQL_ROOT_PASSWORD
      value: secret
`);
    // Running after the 18s pull, answering 12s later.
    c.advance(25_000);
    assert.equal(c.api.world.state.runtime[c.pod('db').metadata.uid ?? ''].containers[0].phase, 'running');
    const early = c.exec('db', ['mysqladmin', 'ping']);
    assert.equal(
      early.stderr,
      "mysqladmin: connect to server at 'localhost' failed\nerror: 'Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2)'\nCheck that mysqld is running and that the socket: '/var/run/mysqld/mysqld.sock' exists!\n",
    );
    assert.equal(early.exitCode, 1);
    c.advance(60_000);
    const r = c.exec('db', ['mysqladmin', '-uroot', '-psecret', 'ping']);
    assert.equal(r.stdout, 'mysqld is alive\n');
    assert.equal(r.stderr, 'mysqladmin: [Warning] Using a password on the command line interface can be insecure.\n');
    assert.equal(r.exitCode, 0);
  });
});
