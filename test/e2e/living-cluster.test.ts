import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SCRIPT, cluster, onTerminal } from '../helpers/kubemu';

// Issue 3's acceptance, as a new user would type it: pods are scheduled,
// pulled, started, probed, crash and restart on the kubelet's schedule, and
// their commands run in the simulated container runtime, never on the host.

function row(table: string, name: string): string[] {
  const line = table.split('\n').find((l) => l.startsWith(`${name} `));
  assert.ok(line, `no row for ${name} in:\n${table}`);
  return line.trim().split(/\s{2,}/);
}

describe('a pod from a tutorial manifest', () => {
  const { k } = cluster();

  it('is ContainerCreating at once, then Ready, with an IP, a node and the kubelet events', () => {
    assert.equal(k('apply', '-f', 'https://k8s.io/examples/pods/simple-pod.yaml').stdout, 'pod/nginx created\n');
    const status = row(k('get', 'pods').stdout, 'nginx')[2];
    assert.ok(['ContainerCreating', 'Pending'].includes(status), status);
    const waited = k('wait', '--for=condition=Ready', 'pod/nginx', '--timeout=30s');
    assert.equal(waited.stdout, 'pod/nginx condition met\n');
    assert.equal(waited.status, 0);
    const wide = row(k('get', 'pods', '-o', 'wide').stdout, 'nginx');
    assert.deepEqual(wide.slice(0, 3), ['nginx', '1/1', 'Running']);
    assert.match(wide[5], /^10\.244\.0\.\d+$/);
    assert.equal(wide[6], 'minikube');
    const events = k('describe', 'pod', 'nginx').stdout.split('Events:')[1];
    const reasons = events
      .split('\n')
      .slice(3)
      .filter((l) => l.trim())
      .map((l) => l.trim().split(/\s+/)[1]);
    assert.deepEqual(reasons, ['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']);
    assert.match(events, /Successfully assigned default\/nginx to minikube/);
    assert.match(events, /Pulling image "nginx:1\.14\.2"/);
    assert.match(events, /Successfully pulled image "nginx:1\.14\.2" in [\d.]+m?s \([\d.]+m?s including waiting\)\. Image size: \d+ bytes\./);
  });
});

describe('failing containers', () => {
  it('an unknown tag shows ErrImagePull, then ImagePullBackOff with the pull error', () => {
    const { k } = cluster();
    k('run', 'bad', '--image=nginx:1.161');
    k('sim', 'advance', '3s');
    assert.equal(row(k('get', 'pods').stdout, 'bad')[2], 'ErrImagePull');
    k('sim', 'advance', '10s');
    assert.equal(row(k('get', 'pods').stdout, 'bad')[2], 'ImagePullBackOff');
    const d = k('describe', 'pod', 'bad').stdout;
    assert.match(d, /Failed to pull image "nginx:1\.161": .*manifest for nginx:1\.161 not found|Failed to pull image "nginx:1\.161": /);
    assert.match(d, /Reason:\s+ImagePullBackOff/);
  });

  it('`exit 1` shows Error, then CrashLoopBackOff, restarts spaced 10s, 20s, 40s, 80s apart', () => {
    const { k } = cluster();
    k('run', 'crash', '--image=busybox:1.28', '--', 'sh', '-c', 'echo failing; exit 1');
    const seen = new Set<string>();
    const restartTimes: number[] = [];
    let restarts = 0;
    for (let t = 1; t <= 170; t++) {
      k('sim', 'advance', '1s');
      const r = row(k('get', 'pods', 'crash', '--no-headers').stdout, 'crash');
      seen.add(r[2]);
      const n = Number(r[3].split(' ')[0]);
      if (n > restarts) {
        restarts = n;
        restartTimes.push(t);
      }
      // Enough to see four back-offs.
      if (restartTimes.length >= 5) break;
    }
    assert.ok(seen.has('Error'), [...seen].join(','));
    assert.ok(seen.has('CrashLoopBackOff'), [...seen].join(','));
    const gaps = restartTimes.slice(1).map((t, i) => t - restartTimes[i]);
    // Each gap is the back-off plus the ~1s the container needs to start and fail.
    assert.deepEqual(
      gaps.map((g) => Math.round(g / 10) * 10),
      [10, 20, 40, 80].slice(0, gaps.length),
    );
    assert.equal(k('logs', 'crash').stdout, 'failing\n');
    assert.equal(k('get', 'pod', 'crash', '-o', 'jsonpath={.status.containerStatuses[0].lastState.terminated.exitCode} {.status.containerStatuses[0].lastState.terminated.reason}').stdout, '1 Error');
  });

  it('a container using more memory than its limit is OOMKilled', () => {
    const { k, kin } = cluster();
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'memory-demo-2' },
      spec: {
        containers: [{ name: 'memory-demo-2-ctr', image: 'polinux/stress', resources: { requests: { memory: '50Mi' }, limits: { memory: '100Mi' } }, command: ['stress'], args: ['--vm', '1', '--vm-bytes', '250M', '--vm-hang', '1'] }],
      },
    };
    assert.equal(kin(JSON.stringify(pod), 'apply', '-f', '-').status, 0);
    k('sim', 'advance', '6s');
    const state = k('get', 'pod', 'memory-demo-2', '-o', 'jsonpath={.status.containerStatuses[0].lastState.terminated.reason} {.status.containerStatuses[0].lastState.terminated.exitCode}').stdout;
    const current = k('get', 'pod', 'memory-demo-2', '-o', 'jsonpath={.status.containerStatuses[0].state.terminated.reason}').stdout;
    assert.ok(state === 'OOMKilled 137' || current === 'OOMKilled', `${state} / ${current}`);
  });
});

describe('the container runtime', () => {
  it('runs `sh -c` to completion: Completed, and logs prints both lines', () => {
    const { k } = cluster();
    assert.equal(k('run', 'bb', '--image=busybox:1.28', '--restart=Never', '--', 'sh', '-c', 'echo hello; sleep 2; echo bye').stdout, 'pod/bb created\n');
    k('sim', 'advance', '4s');
    assert.equal(row(k('get', 'pods').stdout, 'bb')[2], 'Running');
    assert.equal(k('logs', 'bb').stdout, 'hello\n');
    k('sim', 'advance', '5s');
    assert.equal(row(k('get', 'pods').stdout, 'bb')[2], 'Completed');
    assert.equal(k('logs', 'bb').stdout, 'hello\nbye\n');
    const stamped = k('logs', 'bb', '--timestamps').stdout.split('\n');
    const at = (l: string) => Date.parse(l.split(' ')[0]);
    assert.ok(at(stamped[1]) - at(stamped[0]) >= 2000, stamped.join('\n'));
  });

  it('exec sees the pod environment, mounted ConfigMaps, and keeps written files', () => {
    const { k, kin } = cluster();
    k('create', 'configmap', 'game-config', '--from-literal=lives=3', '--from-literal=enemies=aliens');
    k('create', 'secret', 'generic', 'creds', '--from-literal=password=s3cr3t');
    k('create', 'service', 'clusterip', 'backend', '--tcp=8080:80');
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'envpod', labels: { app: 'envpod' } },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'busybox:1.36',
            command: ['sleep', '3600'],
            env: [
              { name: 'GREETING', value: 'hello' },
              { name: 'MESSAGE', value: '$(GREETING) world' },
              { name: 'LIVES', valueFrom: { configMapKeyRef: { name: 'game-config', key: 'lives' } } },
              { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
              { name: 'MY_POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            ],
            volumeMounts: [
              { name: 'config', mountPath: '/etc/config' },
              { name: 'scratch', mountPath: '/scratch' },
            ],
          },
        ],
        volumes: [
          { name: 'config', configMap: { name: 'game-config' } },
          { name: 'scratch', emptyDir: {} },
        ],
      },
    };
    assert.equal(kin(JSON.stringify(pod), 'apply', '-f', '-').status, 0);
    k('sim', 'advance', '10s');
    const env = k('exec', 'envpod', '--', 'env');
    assert.equal(env.status, 0, env.stderr);
    const vars = new Map(env.stdout.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    assert.equal(vars.get('GREETING'), 'hello');
    assert.equal(vars.get('MESSAGE'), 'hello world');
    assert.equal(vars.get('LIVES'), '3');
    assert.equal(vars.get('PASSWORD'), 's3cr3t');
    assert.equal(vars.get('MY_POD_NAME'), 'envpod');
    assert.equal(vars.get('HOSTNAME'), 'envpod');
    assert.match(vars.get('BACKEND_SERVICE_HOST') ?? '', /^10\.\d+\.\d+\.\d+$/);
    assert.equal(vars.get('BACKEND_SERVICE_PORT'), '8080');
    assert.equal(vars.get('KUBERNETES_SERVICE_HOST'), '10.96.0.1');
    assert.equal(k('exec', 'envpod', '--', 'cat', '/etc/config/lives').stdout, '3');
    assert.equal(k('exec', 'envpod', '--', 'ls', '/etc/config').stdout, 'enemies\nlives\n');
    assert.equal(k('exec', 'envpod', '--', 'cat', '/etc/hostname').stdout, 'envpod\n');
    assert.match(k('exec', 'envpod', '--', 'cat', '/etc/resolv.conf').stdout, /^nameserver 10\.96\.0\.10\nsearch default\.svc\.cluster\.local svc\.cluster\.local cluster\.local\n/);
    // Writes last for the life of the container; mounted ConfigMaps are read-only.
    assert.equal(k('exec', 'envpod', '--', 'sh', '-c', 'echo kept > /scratch/note; echo also > /tmp/t').status, 0);
    assert.equal(k('exec', 'envpod', '--', 'cat', '/scratch/note', '/tmp/t').stdout, 'kept\nalso\n');
    const ro = k('exec', 'envpod', '--', 'sh', '-c', 'echo x > /etc/config/lives');
    assert.equal(ro.status, 1);
    assert.match(ro.stderr, /Read-only file system/);
    assert.equal(ro.stderr.split('\n').filter(Boolean).pop(), 'command terminated with exit code 1');
  });

  it('exec reports exit codes and errors as kubectl does', () => {
    const { k, kin } = cluster();
    k('run', 'web', '--image=nginx:1.25');
    k('run', 'done', '--image=busybox:1.28', '--restart=Never', '--', 'true');
    k('sim', 'advance', '15s');
    const two = k('exec', 'web', '--', 'sh', '-c', 'exit 2');
    assert.deepEqual([two.status, two.stderr], [2, 'command terminated with exit code 2\n']);
    const none = k('exec', 'web', '--', 'no-such-program');
    assert.equal(none.status, 126);
    assert.match(none.stdout, /exec: "no-such-program": executable file not found in \$PATH/);
    assert.deepEqual([k('exec', 'done', '--', 'ls').stderr], ['error: cannot exec into a container in a completed pod; current phase is Succeeded\n']);
    assert.deepEqual([k('exec', 'web', '-c', 'nope', '--', 'ls').stderr], ['Error from server (BadRequest): container nope is not valid for pod web\n']);
    assert.deepEqual([k('exec', 'ghost', '--', 'ls').stderr], ['Error from server (NotFound): pods "ghost" not found\n']);
    const old = k('exec', 'web', 'ls');
    assert.equal(old.status, 1);
    assert.equal(old.stderr, "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n");
    // nginx serves what was written to its document root.
    k('exec', 'web', '--', 'sh', '-c', 'echo "$(hostname)" > /usr/share/nginx/html/index.html');
    assert.equal(k('exec', 'web', '--', 'curl', '-s', 'http://localhost/').stdout, 'web\n');
    // -i passes stdin to the command; without -i it gets none.
    assert.equal(kin('echo from-stdin\n', 'exec', '-i', 'web', '--', 'sh').stdout, 'from-stdin\n');
    assert.equal(kin('echo from-stdin\n', 'exec', 'web', '--', 'cat').stdout, '');
  });

  it('nothing a manifest or exec says touches the host', () => {
    const marker = path.join(os.tmpdir(), `kubemu-host-check-${process.pid}`);
    const { k, kin } = cluster();
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'toucher' },
      spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36', command: ['sh', '-c', `touch ${marker}; mkdir -p ${marker}.d; echo pwned > ${marker}.txt; rm -rf /tmp/*`] }] },
    };
    kin(JSON.stringify(pod), 'apply', '-f', '-');
    k('run', 'shell', '--image=busybox:1.36', '--', 'sleep', '3600');
    k('sim', 'advance', '20s');
    assert.equal(row(k('get', 'pods').stdout, 'toucher')[2], 'Completed');
    assert.equal(k('exec', 'shell', '--', 'touch', marker).status, 0);
    assert.equal(k('exec', 'shell', '--', 'sh', '-c', `echo x > ${marker}.2; ls ${marker}`).stdout, `${marker}\n`);
    for (const p of [marker, `${marker}.d`, `${marker}.txt`, `${marker}.2`]) assert.equal(fs.existsSync(p), false, `${p} exists on the host`);
  });

  it('exec -it and run -it give a prompt and run each line typed', { skip: SCRIPT ? false : 'script(1) is needed for a pseudo-terminal' }, () => {
    const { home, k } = cluster();
    k('run', 'shell', '--image=busybox:1.28', '--', 'sleep', '3600');
    k('sim', 'advance', '10s');
    const exec = onTerminal(home, ['exec', '-it', 'shell', '--', 'sh'], 'cd /etc\ncat hostname\nexit\n');
    assert.ok(exec.endsWith('/ # /etc # shell\n/etc # '), JSON.stringify(exec));
    const run = onTerminal(home, ['run', '-it', 'dns-test', '--image=busybox:1.28', '--restart=Never', '--rm'], 'nslookup kubernetes\nexit\n');
    assert.match(run, /If you don't see a command prompt, try pressing enter\.\n\/ # Server:    10\.96\.0\.10\nAddress 1: 10\.96\.0\.10 kube-dns\.kube-system\.svc\.cluster\.local\n\nName:      kubernetes\nAddress 1: 10\.96\.0\.1 kubernetes\.default\.svc\.cluster\.local\n\/ # pod "dns-test" deleted\n$/);
    assert.equal(k('get', 'pod', 'dns-test').status, 1);
  });
});
