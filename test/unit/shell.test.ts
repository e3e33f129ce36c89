import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MemFs, advance, handleSignal, runToCompletion, startProcess } from '../../src/sim/shell';
import type { HttpRequest, HttpResult, ProcessState, ShellWorld } from '../../src/sim/shell';
import { Parser } from '../../src/sim/shell/parser';
import { piDigits } from '../../src/sim/shell/applets/perl';

const T0 = Date.UTC(2023, 10, 14, 22, 13, 20); // 1700000000000

const RESOLV = 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n';

interface WorldOpts {
  files?: Record<string, string>;
  records?: Record<string, string[]>;
  resolve?: (name: string, at: number) => string[] | undefined;
  http?: (req: HttpRequest, at: number) => HttpResult;
}

function world(o: WorldOpts = {}): ShellWorld & { fs: MemFs } {
  const mfs = MemFs.from({ '/etc/resolv.conf': RESOLV, '/etc/hosts': '127.0.0.1\tlocalhost\n10.244.1.7\tweb-0\n', ...(o.files ?? {}) });
  mfs.mkdirs('/tmp');
  mfs.mkdirs('/root');
  const records = o.records ?? {};
  return {
    fs: mfs,
    resolve: o.resolve ?? ((n) => records[n]),
    reverse: (ip) => (({ '10.96.0.10': 'kube-dns.kube-system.svc.cluster.local', '10.96.0.1': 'kubernetes.default.svc.cluster.local' }) as Record<string, string>)[ip],
    http: o.http,
    tcp: (ip, port) => (ip === '10.96.3.4' && port === 80 ? 'open' : 'refused'),
    ping: (ip) => (ip === '10.244.1.7' ? 0.05 : undefined),
  };
}

function sh(script: string, o: { image?: string; w?: ShellWorld; env?: Record<string, string>; argv0?: string } = {}) {
  return runToCompletion([o.argv0 ?? 'sh', '-c', script], o.w ?? world(), T0, { image: o.image ?? 'busybox', env: o.env, hostname: 'web-0' });
}

function texts(out: { at: number; stream: string; text: string }[], stream = 'stdout'): [number, string][] {
  return out.filter((c) => c.stream === stream).map((c) => [c.at - T0, c.text]);
}

// A JSON round trip, as between two CLI invocations.
function reload(st: ProcessState): ProcessState {
  return JSON.parse(JSON.stringify(st)) as ProcessState;
}

describe('shell: parsing and quoting', () => {
  const cases: [string, string][] = [
    ['echo "a  b"   c', 'a  b c\n'],
    [`echo 'single $x' "dq \\$x \\"q\\"" a\\ b`, 'single $x dq $x "q" a b\n'],
    ['x="1 2"; set -- $x; echo $#; set -- "$x"; echo $#', '2\n1\n'],
    ['set -- a "b c" d; for x in "$@"; do echo "[$x]"; done', '[a]\n[b c]\n[d]\n'],
    ['x=/usr/local/bin/tool.tar.gz; echo ${x##*/} ${x%%.*} ${#x} ${y:-dflt} ${x:+set}', 'tool.tar.gz /usr/local/bin/tool 26 dflt set\n'],
    ['echo $((1+2*3)) $((7/2)) $((2**10)) $((0x10)) $(( (1+2) * 3 ))', '7 3 1024 16 9\n'],
    ['echo $(echo a $(echo b)) `echo c`', 'a b c\n'],
    ['x=$(printf "a\\n\\n\\n"); echo "[$x]"', '[a]\n'],
    ['case hello in h*o) echo match;; *) echo no;; esac', 'match\n'],
    ['cat <<EOF\nsum=$((2+2)) $HOME\nEOF', 'sum=4 /root\n'],
    ["cat <<'EOF'\nliteral $HOME\nEOF", 'literal $HOME\n'],
    ['f() { local v=in; echo "$1 $v"; }; v=out; f arg; echo $v', 'arg in\nout\n'],
    ['i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done', '0\n1\n2\n'],
    ['i=0; until [ $i -ge 2 ]; do echo u$i; i=$((i+1)); done', 'u0\nu1\n'],
    ['for i in 1 2 3; do for j in a b; do echo $i$j; continue 2; done; done', '1a\n2a\n3a\n'],
    ['x=1; { x=2; }; (x=3); echo $x', '2\n'],
    ['echo a && false || echo b; ! false && echo c', 'a\nb\nc\n'],
    ['printf "%s|%5s|%-3s|%03d|%x|%%\\n" a b c 7 255', 'a|    b|c  |007|ff|%\n'],
    ['echo "a b c" | { read x y; echo "$y|$x"; }', 'b c|a\n'],
    ['echo one two | tr a-z A-Z | sed s/ONE/1/', '1 TWO\n'],
    ['seq 5 | grep -v 3 | sort -rn | head -n 2', '5\n4\n'],
    ['echo "k=v" | awk -F= \'{print $2 "-" $1}\'', 'v-k\n'],
  ];
  for (const [script, want] of cases) {
    it(JSON.stringify(script), () => {
      const r = sh(script);
      assert.equal(r.stderr, '');
      assert.equal(r.stdout, want);
      assert.equal(r.exitCode, 0);
    });
  }

  it('parses here-documents, functions and nested substitutions into plain JSON', () => {
    const p = new Parser('f() { echo "$(cat <<E\nx $((1+1))\nE\n)"; }; f | tr x y', 'ash');
    const c = p.nextCommand();
    assert.ok(c);
    assert.deepEqual(JSON.parse(JSON.stringify(c)), c);
    assert.equal(sh('f() { echo "$(cat <<E\nx $((1+1))\nE\n)"; }; f | tr x y').stdout, 'y 2\n');
  });

  it('reports syntax errors in each shell\'s words, after running the earlier lines', () => {
    let r = sh('echo first\nif then');
    assert.equal(r.stdout, 'first\n');
    assert.equal(r.stderr, 'sh: syntax error: unexpected "then"\n');
    assert.equal(r.exitCode, 2);
    r = sh('echo "open');
    assert.equal(r.stderr, 'sh: syntax error: unterminated quoted string\n');
    r = sh('if true; then echo', { image: 'debian' });
    assert.equal(r.stderr, 'sh: 1: Syntax error: end of file unexpected (expecting "fi")\n');
    r = sh('echo a; fi', { image: 'debian', argv0: 'bash' });
    assert.equal(r.stderr, "bash: -c: line 1: syntax error near unexpected token `fi'\nbash: -c: line 1: `echo a; fi'\n");
  });
});

describe('shell: exit codes and errors', () => {
  it('exit N, $?, set -e', () => {
    assert.equal(sh('echo a; exit 3; echo b').exitCode, 3);
    assert.equal(sh('exit 300').exitCode, 44);
    assert.equal(sh('false; echo $?').stdout, '1\n');
    const r = sh('set -e; echo a; false; echo b');
    assert.equal(r.stdout, 'a\n');
    assert.equal(r.exitCode, 1);
    assert.equal(sh('set -e; false || true; if false; then :; fi; echo survived').stdout, 'survived\n');
  });

  it('unknown commands: 127 with the wording of busybox, dash and bash', () => {
    let r = sh('foo; echo $?');
    assert.equal(r.stderr, 'sh: foo: not found\n');
    assert.equal(r.stdout, '127\n');
    r = runToCompletion(['/bin/sh', '-c', 'foo'], world(), T0, { image: 'busybox' });
    assert.equal(r.stderr, '/bin/sh: foo: not found\n');
    assert.equal(r.exitCode, 127);
    r = sh('foo', { image: 'debian' });
    assert.equal(r.stderr, 'sh: 1: foo: not found\n');
    r = sh('foo', { image: 'debian', argv0: 'bash' });
    assert.equal(r.stderr, 'bash: line 1: foo: command not found\n');
  });

  it('image contents: busybox has no curl, Debian has no ps', () => {
    assert.equal(sh('curl -s http://x/').stderr, 'sh: curl: not found\n');
    assert.equal(sh('ps', { image: 'debian' }).exitCode, 127);
    assert.equal(sh('command -v wget', { image: 'busybox' }).stdout, '/bin/wget\n');
  });

  it('fatal expansion errors end the shell with status 2', () => {
    const r = sh('echo $((1/0)); echo after');
    assert.equal(r.stderr, 'sh: divide by zero\n');
    assert.equal(r.stdout, '');
    assert.equal(r.exitCode, 2);
    assert.equal(sh('unset x; echo ${x:?is required}').stderr, 'sh: x: is required\n');
  });

  it('a missing executable is a start error, not a shell error', () => {
    for (const [argv, msg] of [
      [['foo'], 'exec: "foo": executable file not found in $PATH'],
      [['/app/run.sh'], 'exec: "/app/run.sh": stat /app/run.sh: no such file or directory'],
      [['sh', '-c', 'true'], undefined],
    ] as const) {
      const st = startProcess([...argv], T0, { image: 'busybox' });
      const r = advance(st, world(), T0 + 1000);
      assert.equal(r.startError, msg);
      if (msg) assert.deepEqual(r.finished, { exitCode: 128, at: T0 });
    }
    // Distroless images have no shell at all.
    const st = startProcess(['sh', '-c', 'true'], T0, { image: 'gcr.io/distroless/static' });
    assert.equal(advance(st, world(), T0 + 10).startError, 'exec: "sh": executable file not found in $PATH');
  });

  it('runs scripts from the container filesystem through their #! line', () => {
    const w = world({ files: { '/scripts/run.sh': '#!/bin/sh\necho "script $1 $0"\nexit 4\n' } });
    w.fs.data.nodes['/scripts/run.sh'].mode = 0o755;
    const r = runToCompletion(['/scripts/run.sh', 'x'], w, T0, { image: 'busybox' });
    assert.equal(r.stdout, 'script x /scripts/run.sh\n');
    assert.equal(r.exitCode, 4);
    w.fs.data.nodes['/scripts/run.sh'].mode = 0o644;
    const st = startProcess(['/scripts/run.sh'], T0);
    assert.equal(advance(st, w, T0 + 10).startError, 'exec: "/scripts/run.sh": permission denied');
  });
});

describe('shell: simulated time', () => {
  it('date reads the simulated clock, in UTC by default and in $TZ', () => {
    assert.equal(sh('date').stdout, 'Tue Nov 14 22:13:20 UTC 2023\n');
    assert.equal(sh('sleep 60; date +%s; date -u +%Y-%m-%dT%H:%M:%SZ').stdout, '1700000060\n2023-11-14T22:14:20Z\n');
    assert.equal(sh('TZ=America/New_York date', { env: { TZ: 'America/New_York' } }).stdout, 'Tue Nov 14 17:13:20 EST 2023\n');
    assert.equal(sh('date -d @0 -u; date -I -d @86400').stdout, 'Thu Jan  1 00:00:00 UTC 1970\n1970-01-02\n');
  });

  it('sleep takes its time, with suffixes, and blocks forever on infinity', () => {
    const r = sh('sleep 1.5; sleep 1m; echo done');
    assert.equal(r.durationMs, 61_500 + 3);
    const st = startProcess(['sleep', 'infinity'], T0);
    const a = advance(st, world(), T0 + 86_400_000);
    assert.equal(a.finished, undefined);
    assert.equal(a.nextWakeAt, undefined);
  });

  it('an endless loop produces output at the right instants over several advances', () => {
    const w = world();
    let st = startProcess(['sh', '-c', 'i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 5; done'], T0);
    // i=0, `true`, echo: 1 ms each; then the iteration goes on with i=..., sleep 5:
    // one line every 5004 ms.
    let r = advance(st, w, T0 + 10_000);
    assert.deepEqual(texts(r.output), [
      [3, 'tick 0\n'],
      [5007, 'tick 1\n'],
    ]);
    assert.equal(r.nextWakeAt, T0 + 10_009);
    st = reload(st);
    r = advance(st, w, T0 + 25_000);
    // Only what is new since the previous horizon.
    assert.deepEqual(texts(r.output), [
      [10_011, 'tick 2\n'],
      [15_015, 'tick 3\n'],
      [20_019, 'tick 4\n'],
    ]);
    // The loop head was checkpointed: the next advance does not replay from the start.
    assert.ok(st.checkpoint);
    st = reload(st);
    r = advance(st, w, T0 + 30_000);
    assert.deepEqual(texts(r.output), [[25_023, 'tick 5\n']]);
    assert.ok((st.lastSteps ?? 0) < 20);
  });

  it('replay stays consistent when the world changes between advances (journal)', () => {
    // The service appears at t=7s, and disappears again at t=12s.
    const resolve = (n: string, at: number): string[] | undefined => (n === 'myservice.default.svc.cluster.local' && at >= T0 + 7000 && at < T0 + 12_000 ? ['10.96.5.5'] : undefined);
    const w = world({ resolve });
    let st = startProcess(['sh', '-c', 'until nslookup myservice >/dev/null 2>&1; do echo waiting; sleep 2; done; echo found'], T0, { image: 'busybox:1.28' });
    const all: [number, string][] = [];
    for (const until of [3000, 5000, 9000, 15_000, 30_000]) {
      st = reload(st);
      const r = advance(st, w, T0 + until);
      all.push(...texts(r.output));
      if (r.finished) {
        assert.equal(r.finished.exitCode, 0);
        break;
      }
    }
    assert.deepEqual(all, [
      [4, 'waiting\n'],
      [2009, 'waiting\n'],
      [4014, 'waiting\n'],
      [6019, 'waiting\n'],
      [8024, 'found\n'],
    ]);
  });

  it('a journaled answer wins over a changed world during replay', () => {
    let answer = 'first';
    const w = world();
    const fsView = w.fs;
    fsView.put('/cfg/value', answer);
    let st = startProcess(['sh', '-c', 'v=$(cat /cfg/value); sleep 10; echo "$v"; cat /cfg/value'], T0);
    advance(st, w, T0 + 5000);
    answer = 'second';
    fsView.put('/cfg/value', answer);
    st = reload(st);
    const r = advance(st, w, T0 + 20_000);
    // $v was read at t=1ms (journal says "first"); the second cat reads the live file.
    assert.equal(r.output.map((o) => o.text).join(''), 'first\nsecond');
  });

  it('file writes reach the world once, even though advances replay', () => {
    const w = world();
    let st = startProcess(['sh', '-c', 'while true; do echo line >> /tmp/log; sleep 1; done'], T0);
    for (const t of [1500, 2500, 2600, 5500]) {
      st = reload(st);
      advance(st, w, T0 + t);
    }
    assert.equal(w.fs.read('/tmp/log'), 'line\n'.repeat(6));
  });

  it('background jobs, wait and pipes run concurrently', () => {
    const r = sh('(sleep 2; echo late) & echo early; wait; echo end');
    assert.equal(r.stdout, 'early\nlate\nend\n');
    const s = startProcess(['sh', '-c', 'while true; do echo x; sleep 1; done | while read l; do echo "got $l"; done'], T0);
    const a = advance(s, world(), T0 + 2500);
    assert.deepEqual(
      texts(a.output).map(([, t]) => t),
      ['got x\n', 'got x\n', 'got x\n'],
    );
  });

  it('tail -f follows a file another container writes', () => {
    const w = world({ files: { '/var/log/app.log': 'a\n' } });
    const st = startProcess(['tail', '-f', '/var/log/app.log'], T0);
    let r = advance(st, w, T0 + 1500);
    assert.deepEqual(texts(r.output), [[0, 'a\n']]);
    w.fs.write('/var/log/app.log', 'b\n', true, T0 + 1600);
    r = advance(st, w, T0 + 5000);
    assert.deepEqual(texts(r.output), [[2000, 'b\n']]);
  });
});

describe('shell: network programs against a fake world', () => {
  const records = { 'kubernetes.default.svc.cluster.local': ['10.96.0.1'], 'web.default.svc.cluster.local': ['10.96.3.4'] };
  const http = (req: HttpRequest): HttpResult => {
    if (req.ip === '10.96.3.4' && req.port === 80) {
      return req.path === '/' ? { status: 200, headers: { 'Content-Type': 'text/html', 'Content-Length': '15' }, body: '<h1>hello</h1>\n' } : { status: 404, body: 'nope\n' };
    }
    if (req.ip === '10.96.3.5') return { error: 'timeout' };
    return { error: 'refused' };
  };
  const w = (): ShellWorld => world({ records, http });

  it('nslookup, busybox 1.28 format', () => {
    let r = sh('nslookup kubernetes.default', { image: 'busybox:1.28', w: w() });
    assert.equal(r.stdout, 'Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      kubernetes.default\nAddress 1: 10.96.0.1 kubernetes.default.svc.cluster.local\n');
    assert.equal(r.exitCode, 0);
    r = sh('nslookup myservice', { image: 'busybox:1.28', w: w() });
    assert.equal(r.stdout, 'Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n');
    assert.equal(r.stderr, "nslookup: can't resolve 'myservice'\n");
    assert.equal(r.exitCode, 1);
  });

  it('nslookup, busybox 1.36 format (A and AAAA per search domain, NXDOMAIN fails)', () => {
    let r = sh('nslookup kubernetes.default.svc.cluster.local', { image: 'busybox:1.36', w: w() });
    assert.equal(r.stdout, 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n\n');
    assert.equal(r.exitCode, 0);
    r = sh('nslookup kubernetes.default', { image: 'busybox', w: w() });
    assert.equal(r.stdout, "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find kubernetes.default: NXDOMAIN\n\n** server can't find kubernetes.default: NXDOMAIN\n\n");
    assert.equal(r.exitCode, 1);
  });

  it('nslookup, bind (dnsutils) format', () => {
    const img = 'registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3';
    let r = sh('nslookup kubernetes.default', { image: img, w: w() });
    assert.equal(r.stdout, 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n');
    r = sh('nslookup nosuch', { image: img, w: w() });
    assert.equal(r.stdout, "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n** server can't find nosuch: NXDOMAIN\n\n");
    assert.equal(r.exitCode, 1);
  });

  it('busybox wget', () => {
    let r = sh('wget -qO- http://web/', { w: w() });
    assert.equal(r.stdout, '<h1>hello</h1>\n');
    assert.equal(r.exitCode, 0);
    r = sh('wget -O- http://web/', { w: w() });
    assert.equal(r.stderr, 'Connecting to web (10.96.3.4:80)\nwriting to stdout\n-                    100% |********************************|    15  0:00:00 ETA\nwritten to stdout\n');
    assert.deepEqual([sh('wget -qO- http://web/x', { w: w() }).stderr, sh('wget -qO- http://web/x', { w: w() }).exitCode], ['wget: server returned error: HTTP/1.1 404 Not Found\n', 1]);
    assert.equal(sh('wget -qO- http://nosuch/', { w: w() }).stderr, "wget: bad address 'nosuch'\n");
    assert.equal(sh('wget -qO- http://10.96.3.9:8080/', { w: w() }).stderr, "wget: can't connect to remote host (10.96.3.9): Connection refused\n");
    r = sh('wget -T 3 -qO- http://10.96.3.5/', { w: w() });
    assert.equal(r.stderr, 'wget: download timed out\n');
    assert.ok(r.durationMs >= 3000 && r.durationMs < 3100);
    r = sh('wget -q --spider http://web/ && echo up', { w: w() });
    assert.equal(r.stdout, 'up\n');
  });

  it('curl: output, progress meter and exit codes', () => {
    const img = 'curlimages/curl';
    assert.equal(sh('curl -s http://web/', { image: img, w: w() }).stdout, '<h1>hello</h1>\n');
    const r = sh('curl http://web/', { image: img, w: w() });
    assert.match(r.stderr, /^ {2}% Total {4}% Received % Xferd {2}Average Speed {3}Time {4}Time {5}Time {2}Current\n {33}Dload {2}Upload {3}Total {3}Spent {4}Left {2}Speed\n\r {2}0 {5}0 {4}0 {5}0 {4}0 {5}0 {6}0 {6}0 --:--:-- --:--:-- --:--:-- {5}0\r100 {4}15 {2}100 {4}15 {4}0 {5}0 /);
    const codes = sh(
      'curl -sf http://web/x; echo $?; curl -s http://nosuch/; echo $?; curl -s http://10.96.3.9/; echo $?; curl -s --max-time 2 http://10.96.3.5/; echo $?; curl -s http://web/x >/dev/null; echo $?',
      { image: img, w: w() },
    );
    assert.equal(codes.stdout, '22\n6\n7\n28\n0\n');
    assert.equal(sh('curl -sS http://nosuch/', { image: img, w: w() }).stderr, 'curl: (6) Could not resolve host: nosuch\n');
    assert.equal(sh('curl -sS -f http://web/x', { image: img, w: w() }).stderr, 'curl: (22) The requested URL returned error: 404\n');
    assert.equal(sh('curl -s -o /dev/null -w "%{http_code}" http://web/x', { image: img, w: w() }).stdout, '404');
    assert.equal(sh('curl -sI http://web/', { image: img, w: w() }).stdout, 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 15\r\n\r\n');
  });

  it('ping and nc', () => {
    const r = sh('ping -c 2 web-0', { w: w() });
    assert.equal(
      r.stdout,
      'PING web-0 (10.244.1.7): 56 data bytes\n64 bytes from 10.244.1.7: seq=0 ttl=64 time=0.050 ms\n64 bytes from 10.244.1.7: seq=1 ttl=64 time=0.050 ms\n\n--- web-0 ping statistics ---\n2 packets transmitted, 2 packets received, 0% packet loss\nround-trip min/avg/max = 0.050/0.050/0.050 ms\n',
    );
    assert.equal(sh('nc -z web 80; echo $?; nc -z web 81 2>/dev/null; echo $?', { w: w() }).stdout, '0\n1\n');
  });
});

describe('shell: perl bpi', () => {
  const first50 = '3.1415926535897932384626433832795028841971693993751';

  it('computes pi to N significant digits, rounded', () => {
    assert.equal(piDigits(50), first50);
    assert.equal(piDigits(1), '3');
    assert.equal(piDigits(4), '3.142');
    assert.equal(piDigits(5), '3.1416');
    const r = sh("perl -Mbignum=bpi -wle 'print bpi(50)'", { image: 'perl:5.34.0' });
    assert.equal(r.stdout, first50 + '\n');
  });

  it('bpi(2000) equals what real perl prints', (t) => {
    const ours = sh("perl -Mbignum=bpi -wle 'print bpi(2000)'", { image: 'perl:5.34.0' });
    assert.equal(ours.exitCode, 0);
    assert.ok(ours.stdout.startsWith(first50));
    assert.equal(ours.stdout.length, 2002);
    const have = spawnSync('perl', ['-v'], { encoding: 'utf8' });
    if (have.status !== 0) {
      t.skip('perl is not installed on this machine');
      return;
    }
    let real = spawnSync('perl', ['-Mbignum=bpi', '-wle', 'print bpi(2000)'], { encoding: 'utf8' });
    if (real.status !== 0) {
      // Some perl/bignum releases (e.g. Debian 12's perl 5.36 with bignum 0.65) die on
      // this one-liner; Math::BigFloat->bpi, which bignum's bpi wraps, still answers.
      t.diagnostic(`perl -Mbignum=bpi failed here (${real.stderr.trim()}); comparing with Math::BigFloat->bpi(2000)`);
      real = spawnSync('perl', ['-MMath::BigFloat', '-le', 'print Math::BigFloat->bpi(2000)'], { encoding: 'utf8' });
    }
    assert.equal(real.status, 0, real.stderr);
    assert.equal(ours.stdout, real.stdout);
  });
});

describe('shell: bounds', () => {
  it('a loop without sleep stops at the horizon and keeps its place', () => {
    const st = startProcess(['sh', '-c', 'while :; do :; done'], T0);
    let r = advance(st, world(), T0 + 2000);
    assert.equal(r.reached, T0 + 2000);
    assert.equal(r.finished, undefined);
    assert.equal(r.nextWakeAt, T0 + 2001);
    r = advance(reload(st), world(), T0 + 4000);
    assert.equal(r.reached, T0 + 4000);
    assert.ok((st.lastSteps ?? 0) < 5000);
  });

  it('the step budget of one advance makes the process lag, not lose output', () => {
    const st = startProcess(['sh', '-c', 'i=0; while true; do echo $i; i=$((i+1)); done'], T0);
    const r = advance(st, world(), T0 + 3_600_000, { maxSteps: 3000 });
    assert.ok(r.reached < T0 + 10_000, `reached ${r.reached - T0}`);
    assert.equal(r.nextWakeAt, r.reached + 1);
    const r2 = advance(st, world(), T0 + 3_600_000, { maxSteps: 3000 });
    const lines = [...r.output, ...r2.output].map((o) => o.text).join('').split('\n').filter(Boolean);
    assert.deepEqual(lines, lines.map((_l, i) => String(i)));
  });

  it('the output budget of one advance holds', () => {
    const st = startProcess(['yes'], T0);
    const r = advance(st, world(), T0 + 3_600_000, { maxOutputBytes: 10_000 });
    const bytes = r.output.reduce((a, o) => a + o.text.length, 0);
    assert.ok(bytes <= 10_000, String(bytes));
    assert.ok(r.reached < T0 + 3_600_000);
  });

  it('a history too long to replay caps the process, which then runs silently', () => {
    // No checkpoint is possible inside a function: every advance replays from the start.
    const st = startProcess(['sh', '-c', 'f() { while :; do :; done; }; f'], T0);
    let r = advance(st, world(), T0 + 1500, { maxSteps: 1000 });
    assert.ok(r.reached < T0 + 1500);
    for (let i = 0; i < 5 && !r.capped; i++) r = advance(st, world(), T0 + 100_000, { maxSteps: 1000 });
    assert.equal(r.capped, true);
    assert.match(r.output[0].text, /^kubemu: simulation budget exhausted \(1000 steps\)/);
    r = advance(st, world(), T0 + 200_000, { maxSteps: 1000 });
    assert.deepEqual(r.output, []);
    handleSignal(st, 'KILL', T0 + 200_500);
    r = advance(st, world(), T0 + 300_000);
    assert.deepEqual(r.finished, { exitCode: 137, at: T0 + 200_500, signal: 'KILL' });
  });

  it('deep recursion and huge strings end with an error', () => {
    const r = sh('f() { f; }; f');
    assert.equal(r.exitCode, 2);
    assert.match(r.stderr, /function nesting too deep/);
    const s = sh('x=a; while true; do x=$x$x; done', {});
    assert.equal(s.exitCode, 2);
    assert.match(s.stderr, /out of memory/);
  });
});

describe('shell: state between advances', () => {
  it('survives a JSON round trip at every advance and stays small', () => {
    const script = 'n=0; trap "echo bye" EXIT; while [ $n -lt 50 ]; do n=$((n+1)); echo "n=$n $(date +%s)"; sleep 3; done';
    const straight = runToCompletion(['sh', '-c', script], world(), T0, { pid1: true, timeoutMs: 1_000_000 });
    let st = startProcess(['sh', '-c', script], T0);
    let outText = '';
    for (let t = 1000; t <= 200_000; t += 1700) {
      st = reload(st);
      const r = advance(st, world(), T0 + t);
      outText += r.output.map((o) => o.text).join('');
      assert.ok(JSON.stringify(st).length < 4000, String(JSON.stringify(st).length));
      if (r.finished) break;
    }
    assert.equal(outText, straight.stdout);
    assert.equal(st.finished?.exitCode, 0);
  });
});

describe('shell: signals', () => {
  function run(argv: string[], sigs: [('TERM' | 'KILL'), number][], until: number, opts: { pid1?: boolean } = {}) {
    const st = startProcess(argv, T0, opts);
    const out = [...advance(st, world(), T0 + 1000).output];
    for (const [s, at] of sigs) handleSignal(st, s, T0 + at);
    const r = advance(reload(st), world(), T0 + until);
    return { finished: r.finished, out: [...out, ...r.output].map((o) => [o.at - T0, o.text]) };
  }

  it('PID 1 without a handler ignores SIGTERM and dies on SIGKILL', () => {
    assert.equal(run(['sleep', '3600'], [['TERM', 2000]], 60_000).finished, undefined);
    assert.equal(run(['sh', '-c', 'sleep 3600'], [['TERM', 2000]], 60_000).finished, undefined);
    assert.equal(run(['tail', '-f', '/dev/null'], [['TERM', 2000]], 60_000).finished, undefined);
    assert.deepEqual(run(['sh', '-c', 'sleep 3600'], [['TERM', 2000], ['KILL', 32_000]], 60_000).finished, { exitCode: 137, at: T0 + 32_000, signal: 'KILL' });
  });

  it('a TERM trap runs once the foreground command returns, at once in wait', () => {
    assert.deepEqual(run(['sh', '-c', 'trap "echo bye; exit 0" TERM; while true; do sleep 1; done'], [['TERM', 2500]], 60_000), {
      finished: { exitCode: 0, at: T0 + 3009 },
      out: [[3008, 'bye\n']],
    });
    assert.deepEqual(run(['sh', '-c', 'trap "echo bye; exit 0" TERM; sleep 3600 & wait'], [['TERM', 2000]], 60_000).finished, { exitCode: 0, at: T0 + 2002 });
    // sh waits for `sleep 3600` before running the trap: the kubelet's SIGKILL comes first.
    assert.deepEqual(run(['sh', '-c', 'trap "echo bye; exit 0" TERM; sleep 3600'], [['TERM', 2000], ['KILL', 32_000]], 60_000).finished, {
      exitCode: 137,
      at: T0 + 32_000,
      signal: 'KILL',
    });
  });

  it('not PID 1 (tini, exec): SIGTERM kills with 143', () => {
    assert.deepEqual(run(['tini', '--', 'sleep', '3600'], [['TERM', 2000]], 60_000).finished, { exitCode: 143, at: T0 + 2000, signal: 'TERM' });
    assert.deepEqual(run(['sh', '-c', 'sleep 3600'], [['TERM', 2000]], 60_000, { pid1: false }).finished, { exitCode: 143, at: T0 + 2000, signal: 'TERM' });
  });
});

describe('shell: nothing touches the host', () => {
  it('touch and rm -rf / act on the fake filesystem only', () => {
    const hostFile = '/tmp/kubemu-shell-test-xyz';
    fs.rmSync(hostFile, { force: true });
    const sentinel = fs.mkdtempSync('/tmp/kubemu-shell-sentinel-');
    fs.writeFileSync(path.join(sentinel, 'keep'), 'x');
    try {
      const w = world();
      let r = runToCompletion(['sh', '-c', 'touch /tmp/kubemu-shell-test-xyz && ls /tmp'], w, T0);
      assert.equal(r.stdout, 'kubemu-shell-test-xyz\n');
      assert.ok(w.fs.stat('/tmp/kubemu-shell-test-xyz'));
      assert.equal(fs.existsSync(hostFile), false);
      r = runToCompletion(['sh', '-c', `rm -rf / ${sentinel}; ls /`], w, T0);
      assert.equal(r.stdout, '');
      assert.equal(w.fs.stat('/tmp'), undefined);
      assert.equal(fs.readFileSync(path.join(sentinel, 'keep'), 'utf8'), 'x');
    } finally {
      fs.rmSync(sentinel, { recursive: true, force: true });
      fs.rmSync(hostFile, { force: true });
    }
  });

  it('the interpreter imports nothing that reaches the host', () => {
    const dir = path.join(__dirname, '..', '..', '..', 'src', 'sim', 'shell');
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(d, e.name));
        else if (e.name.endsWith('.ts')) files.push(path.join(d, e.name));
      }
    };
    walk(dir);
    assert.ok(files.length > 10);
    for (const f of files) {
      const src = fs.readFileSync(f, 'utf8');
      for (const m of src.matchAll(/(?:from\s+|require\()\s*['"]([^'"]+)['"]/g)) {
        const mod = m[1];
        // regex.ts sets V8's regular expression engine flags, nothing of the host.
        const allowed = mod.startsWith('.') || mod === 'node:crypto' || (mod === 'node:v8' && path.basename(f) === 'regex.ts');
        assert.ok(allowed, `${path.basename(f)} imports ${mod}`);
      }
      assert.doesNotMatch(src, /process\.(env|cwd|hrtime)|Date\.now\(|new Date\(\)/, path.basename(f));
    }
  });
});
