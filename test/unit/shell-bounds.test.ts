// Commands from a manifest or an exec must not hold the host for long: each of these
// once took from seconds to minutes of host CPU while the CLI held the state lock.
// Each must end within a generous wall-time bound, with the output a real shell
// gives where it ends at all.

import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { MemFs, runToCompletion } from '../../src/sim/shell';
import type { RunResult, ShellWorld } from '../../src/sim/shell';
import { matchPattern, removeAffix, replacePattern } from '../../src/sim/shell/pattern';
import { safeRegExp } from '../../src/sim/shell/regex';
import { readAll } from '../../src/sim/shell/io';
import type { In } from '../../src/sim/shell/io';

const T0 = Date.UTC(2023, 10, 14, 22, 13, 20);
// Host time each command may take (they take milliseconds; the machine may be busy).
const BOUND_MS = 3000;

function world(): ShellWorld {
  const fs = MemFs.from({ '/etc/hosts': '127.0.0.1\tlocalhost\n' });
  fs.mkdirs('/tmp');
  return { fs, resolve: () => undefined };
}

function timed<T>(f: () => T): { v: T; ms: number } {
  const t = process.hrtime.bigint();
  const v = f();
  return { v, ms: Number(process.hrtime.bigint() - t) / 1e6 };
}

function sh(script: string, image = 'busybox', shell = 'sh'): RunResult & { ms: number } {
  const { v, ms } = timed(() => runToCompletion([shell, '-c', script], world(), T0, { image, timeoutMs: 600_000 }));
  assert.ok(ms < BOUND_MS, `${script}: ${ms.toFixed(0)} ms of host time`);
  return { ...v, ms };
}

// A line of `n` a's, made in the container.
const A30 = `a=$(printf 'a%.0s' $(seq 30))`;
const A5000 = `a=$(printf 'a%.0s' $(seq 5000))`;

describe('shell bounds: endless producers', () => {
  it('yes | head ends at once with head output; yes dies of SIGPIPE', () => {
    let r = sh('yes | head -c 1');
    assert.deepEqual([r.stdout, r.exitCode], ['y', 0]);
    r = sh('yes | head -n 2');
    assert.deepEqual([r.stdout, r.exitCode], ['y\ny\n', 0]);
    r = sh('yes abc | head -c 5; echo " $?"');
    assert.equal(r.stdout, 'abc\na 0\n');
    r = sh('yes | head -c 1 >/dev/null; echo ${PIPESTATUS[0]}', 'ubuntu', 'bash');
    assert.equal(r.stdout, '141\n');
  });

  for (const cmd of ['yes | wc -c', 'yes | tail -1', 'yes | sort | head -1', "yes | awk 'END{print NR}'", 'yes | grep -c y']) {
    it(`${cmd} runs out of budget, not host time`, () => {
      // Real ones never end either: the process keeps running without further output.
      const r = sh(cmd);
      assert.equal(r.timedOut, true);
      assert.equal(r.stdout, '');
    });
  }

  it('readAll keeps the first characters up to its cap, and drains the rest', () => {
    let left = 2000;
    const input: In = {
      kind: 'in',
      *read() {
        return left-- > 0 ? 'y\n'.repeat(5000) : null;
      },
    };
    const { v, ms } = timed(() => {
      const g = readAll(input, 4 << 20);
      for (let r = g.next(); ; r = g.next()) if (r.done) return r.value;
    });
    assert.equal(v.length, 4 << 20);
    assert.equal(left, -1);
    assert.ok(ms < BOUND_MS, `${ms} ms`);
  });
});

describe('shell bounds: pathological regular expressions', () => {
  it('grep -E "(a+)+b" on a long line of a: exit 1', () => {
    let r = sh(`${A30}; echo $a | grep -E "(a+)+b"; echo rc=$?`);
    assert.equal(r.stdout, 'rc=1\n');
    r = sh(`${A5000}; echo $a | grep -E "(a+)+b"; echo rc=$?`);
    assert.equal(r.stdout, 'rc=1\n');
    r = sh(`${A30}; echo $a | grep -iE "(A+)+B"; echo rc=$?`);
    assert.equal(r.stdout, 'rc=1\n');
    r = sh(`${A30}; echo \${a}b | grep -ciE "^(A+)+B$"`);
    assert.equal(r.stdout, '1\n');
  });

  it('awk "/(a+)+b/" and sed -E "s/(a+)+b/x/"', () => {
    let r = sh(`${A30}; echo $a | awk "/(a+)+b/"; echo rc=$?`);
    assert.equal(r.stdout, 'rc=0\n');
    r = sh(`${A30}; echo $a | awk '$0 ~ "(a+)+b" {print "m"} {n = split($0, p, "(a+)+b"); print n}'`);
    assert.equal(r.stdout, '1\n');
    r = sh(`${A30}; echo $a | sed -E "s/(a+)+b/x/"`);
    assert.equal(r.stdout, 'a'.repeat(30) + '\n');
    r = sh(`${A30}; echo \${a}b | sed -E "s/(a+)+b/x/"`);
    assert.equal(r.stdout, 'x\n');
  });

  it('[[ =~ ]] with a nested quantifier', () => {
    const r = sh(`${A30}; [[ $a =~ (a+)+b ]] && echo yes || echo no`, 'ubuntu', 'bash');
    assert.equal(r.stdout, 'no\n');
  });

  it('case insensitivity without the i flag keeps the meaning', () => {
    const re = safeRegExp('^[a-c]x\\d(?<n>Q)é$', 'i');
    assert.ok(re.test('BX1qÉ'));
    assert.ok(!re.test('dx1q\u00e9'));
    assert.equal(safeRegExp('a', 'i').exec('zA')?.index, 1);
  });

  it('backreferences still work, on subjects up to the bound', () => {
    const r = sh("echo abcabc | grep -E '(abc)\\1' && echo xyxy | sed 's/\\(xy\\)\\1/[&]/'");
    assert.equal(r.stdout, 'abcabc\n[xyxy]\n');
  });
});

describe('shell bounds: glob patterns', () => {
  it('case *a*a*a*a*a*a*a*a*a*b on a long line: no match', () => {
    let r = sh(`${A30}; case $a in *a*a*a*a*a*a*a*a*a*b) echo match;; *) echo nomatch;; esac`);
    assert.equal(r.stdout, 'nomatch\n');
    r = sh(`${A5000}; case $a in *a*a*a*a*a*a*a*a*a*b) echo match;; *) echo nomatch;; esac`);
    assert.equal(r.stdout, 'nomatch\n');
    r = sh(`${A5000}; case \${a}b in *a*a*a*a*a*a*a*a*a*b) echo match;; *) echo nomatch;; esac`);
    assert.equal(r.stdout, 'match\n');
  });

  it('[[ == ]] and parameter expansion patterns', () => {
    const r = sh(`${A5000}; [[ $a == *a*a*a*a*a*a*a*b ]] && echo y || echo n; x=\${a%%*a*a*a*a*b}; echo \${#x}; y=\${a//*a*a*a*b/}; echo \${#y}; z=\${a#*a*a*a}; echo \${#z}`, 'ubuntu', 'bash');
    assert.equal(r.stdout, 'n\n5000\n5000\n4997\n');
  });

  it('the matcher agrees with the shell on the common cases, in linear time', () => {
    assert.ok(matchPattern('*.tar.gz', 'x.tar.gz'));
    assert.ok(!matchPattern('[!a]*', 'abc'));
    assert.ok(matchPattern('\\*[[:digit:]]?', '*1z'));
    assert.equal(removeAffix('/usr/local/bin', '*/', '##'), 'bin');
    assert.equal(removeAffix('a.b.c', '.*', '%'), 'a.b');
    assert.equal(replacePattern('aXbXc', 'X', '-', '//'), 'a-b-c');
    const long = 'a'.repeat(1 << 20);
    const { ms } = timed(() => {
      assert.equal(matchPattern('*a*a*a*a*a*a*a*a*a*b', long), false);
      assert.equal(removeAffix(long, '*a*a*a*b', '%%'), long);
      assert.equal(replacePattern(long, '*a*a*b', 'x', '//'), long);
    });
    assert.ok(ms < BOUND_MS, `${ms} ms`);
  });
});

describe('shell bounds: awk', () => {
  it('an endless awk loop behaves like an endless shell loop', () => {
    for (const prog of ['BEGIN{while(1) x++; print x}', 'BEGIN{while(1) while(1) x++}', 'BEGIN{for(;;) x++}', 'BEGIN{do x++; while(1)}']) {
      const r = sh(`awk '${prog}'`);
      // It does not stop by itself after some iterations, nor print what it had.
      assert.equal(r.timedOut, true, prog);
      assert.equal(r.stdout, '', prog);
    }
  });

  it('printing loops are bounded by the output budget, not by string length', () => {
    const r = sh(`awk 'BEGIN{while(1) print "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}'`);
    assert.equal(r.timedOut, true);
    assert.doesNotMatch(r.stderr, /internal error/);
  });

  it('awk output streams between records', () => {
    const r = sh(`seq 200000 | awk '{print $1 * 2}' | tail -1`);
    assert.deepEqual([r.stdout, r.exitCode], ['400000\n', 0]);
  });

  it('finite loops still finish with their value', () => {
    const r = sh(`awk 'BEGIN{while(i < 100000) i++; for (j = 0; j < 3; j++) s = s j; print i, s}'`);
    assert.deepEqual([r.stdout, r.exitCode], ['100000 012\n', 0]);
  });
});
