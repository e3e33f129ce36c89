import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MemFs, runToCompletion } from '../../src/sim/shell';

// The interpreter against the real shells: busybox ash, bash and dash run the same
// scripts (built-ins only, or busybox applets on files in a temporary directory) and
// must print the same stdout, stderr and exit status. Skipped where a shell is absent.

const T0 = 1_700_000_000_000;

// Scripts using only shell built-ins.
const BUILTIN_SCRIPTS: string[] = [
  "echo hello world",
  "echo \"a  b\"   c",
  "echo 'single $x' \"double $HOME_UNSET\" \\$esc",
  "x=abc; echo ${x} ${#x} ${x#a} ${x%c} ${x:-def} ${y:-def} ${y-def} ${x:+alt} ${y:+alt}",
  "x=/usr/local/bin/tool.tar.gz; echo ${x##*/} ${x%%.*} ${x%.*} ${x#*/}",
  "echo $((1+2*3)) $((10/3)) $((10%3)) $((1<<4)) $(( (1+2)*3 )) $((-5/2)) $((0x10)) $((010))",
  "i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done",
  "for x in a b c; do echo \"<$x>\"; done",
  "for x; do echo $x; done; echo none",
  "set -- a \"b c\" d; for x in \"$@\"; do echo \"[$x]\"; done; echo $#",
  "set -- a \"b c\" d; for x in $@; do echo \"[$x]\"; done",
  "set -- a \"b c\" d; echo \"$*\"; IFS=,; echo \"$*\"",
  "case hello in h*o) echo match;; *) echo no;; esac",
  "case x in a|b) echo ab;; x|y) echo xy;; esac",
  "if [ -z \"\" ]; then echo empty; fi; if [ -n \"a\" ]; then echo nonempty; fi",
  "[ 1 -eq 1 ] && echo eq || echo ne; [ 1 -eq 2 ] && echo eq || echo ne",
  "test abc = abc; echo $?; test abc != abc; echo $?",
  "echo $(echo inner $(echo nested))",
  "echo `echo backtick`",
  "x=$(printf 'a\\n\\n\\n'); echo \"[$x]\"",
  "f() { echo \"args: $# $1 $2\"; }; f one two",
  "f() { local v=inner; echo $v; }; v=outer; f; echo $v",
  "f() { return 3; }; f; echo $?",
  "echo a; exit 5; echo b",
  "false; echo $?; true; echo $?",
  "! false; echo $?",
  "echo a && echo b || echo c",
  "false || echo fallback",
  "x=1; { x=2; }; echo $x; (x=3); echo $x",
  "printf '%s|%5s|%-5s|%d|%03d|%x|%o|%c|%%\\n' a b c 42 7 255 8 xyz",
  "printf '%s\\n' a b c",
  "printf '%d %d\\n' 1 2 3",
  "printf 'no newline'",
  "echo -n no; echo -e 'tab\\there'; echo -e 'a\\nb'",
  "IFS=:; x=a:b:c; for i in $x; do echo $i; done",
  "x=\"a b c\"; set -- $x; echo $# $2",
  "echo ${x:?oops}; echo after",
  "echo $((1/0)); echo after",
  "echo \"${UNSET_VAR-unset}\" \"${UNSET_VAR:-unset}\"",
  "readonly r=1; r=2; echo after",
  "echo $0",
  "nosuchcmd; echo $?",
  "nosuchcmd 2>/dev/null; echo $?",
  "echo err >&2; echo out",
  "while true; do echo once; break; done",
  "for i in 1 2 3; do for j in a b; do echo $i$j; continue 2; done; done",
  "i=0; until [ $i -ge 2 ]; do echo u$i; i=$((i+1)); done",
  "echo 'it''s'",
  "echo \"quote \\\"inner\\\" \\$ \\` \\\\\"",
  "echo a\\ b",
  "x='*'; echo \"$x\"",
  "a=1 b=2; echo $a $b",
  "set -- 1 2 3 4 5; shift 2; echo $@",
  "set -e; false || true; echo survived",
  "set -u; echo ${undefined_var}; echo after",
  "trap 'echo trapped' EXIT; echo body",
  "trap 'echo t1' EXIT; trap - EXIT; echo body",
  "x=10; y=$((x > 5 ? 1 : 0)); echo $y",
  "i=3; i=$((i+1)); : $((i+=2)); echo $i",
  "cat <<EOF\nhere $((2+2))\n  indented\nEOF",
  "cat <<'EOF'\nliteral $HOME_UNSET\nEOF",
  "cat <<-EOF\n\ttabbed\n\tEOF",
  "if then",
  "echo \"unterminated",
  "echo a; fi",
  "for 1 in a; do :; done",
  "echo ${x",
  "x=a; case $x in (a) echo paren;; esac",
  "f() { echo recursive $1; [ $1 -gt 0 ] && f $(( $1 - 1 )); }; f 2",
  "x=; [ -z \"$x\" ] && echo empty",
  "[ 3 -gt 2 -a 1 -lt 2 ] && echo both",
  "[ ! -e /definitely/not ] && echo notexist",
  "echo \"${x:-a b}\" | tr ' ' _",
  "v=\"one two\"; echo ${v%% *} ${v#* }",
  "echo $(( 7 & 3 )) $(( 7 | 8 )) $(( 7 ^ 2 )) $(( ~0 )) $(( !0 ))",
  "echo {a,b}",
  "read x <<EOF\ninput line\nEOF\necho \"got $x\"",
  "echo \"a b c\" | { read x y; echo \"$y|$x\"; }",
  "printf '%s\\n' \"a:b:c\" | { IFS=: read p q r; echo $r$q$p; }",
  "echo $((10 % 0))",
  "exit 300",
  "echo one; echo two >&2; echo three",
  "x=$(exit 4); echo $?",
  "$(exit 2); echo $?",
  "echo \"$(echo \"nested \"quotes\"\")\"",
  "v=abc; echo \"${v:1}\" \"${v:0:2}\"",
  "echo $((9223372036854775807 + 1))",
  "type echo",
  "command -v echo",
  "set -- a b c d e f g h i j k; echo ${10} $10",
  "echo a\necho b; if then",
  "x=1\necho $x\nx=2 echo $x",
  "IFS= read -r line <<'EOF'\n  spaced \\ line\nEOF\necho \"[$line]\"",
  "echo ${#@} $#",
  "printf '%5.2f|%e|%g|%g\\n' 3.14159 31415.9 0.0001 123456789",
  "printf '%s %s\\n' \"a b\"",
  "echo $(( 5 > 3 && 2 > 1 ))",
  "func() { echo \"$@\"; }; func \"x y\" z",
  "[ abc \\> abb ]; echo $?",
  "echo $(( 1 == 1 )) $(( 3 - - 2 ))",
  "v=; echo ${v:=dflt}; echo $v",
  "wait; echo waited",
  "f() { echo $1; shift; echo $1; }; f a b",
  "x=\"$(cat <<EOF\nheredoc in subst\nEOF\n)\"; echo \"$x\"",
  "echo \"$((3+4))px\"",
  "for f in /nonexistent/*; do echo \"$f\"; done",
  "echo $((x=7)); echo $x",
  "set -- \"\" a; echo $#; for i in \"$@\"; do echo \"[$i]\"; done",
  "e=\"\"; set -- $e; echo $#",
  "echo \"tab\there\" | cut -f2",
  "echo 'a' > /dev/null; echo $?",
  "eval 'echo evaluated $((1+1))'",
  "eval \"x=5\"; echo $x",
  "echo ${x-$((1+1))}",
  "echo \"${HOME_UNSET:-$(echo fallback)}\"",
  "exit",
  "(exit 7); echo $?",
  "{ echo grouped; } > /dev/null; echo after",
  "test; echo $?; test \"\"; echo $?; test x; echo $?",
  "[ ]; echo $?",
  "[ a = ]; echo $?",
  "[ 1 -eq ]; echo $?",
  "[ a b c ]; echo $?",
  "[ x; echo $?",
  "shift 5; echo $?",
  "cd /nonexistent_dir; echo $?",
  "exit abc",
  "return 1; echo after",
  "break; echo after",
  "echo ${!x}",
  "printf '%d\\n' abc; echo $?",
  "printf '%d\\n' 12abc; echo $?",
  "printf '%b\\n' 'a\\tb\\c' 'x'",
  "echo \"${x/a/b}\"; x=banana; echo ${x/a/o} ${x//a/o}\n",
];

// Scripts using busybox applets on the files below (under /data).
const APPLET_SCRIPTS: string[] = [
  "cat /data/a.txt",
  "cat /data/a.txt /data/missing.txt; echo $?",
  "grep b /data/a.txt; grep -c a /data/a.txt; grep -v b /data/a.txt; grep -n o /data/a.txt",
  "grep -i APPLE /data/a.txt; grep -q zzz /data/a.txt; echo $?",
  "grep -E 'ap+|ch' /data/a.txt",
  "grep 'b\\(an\\)*' /data/a.txt",
  "grep -o 'an' /data/a.txt",
  "grep x /data/a.txt /data/b.txt",
  "grep -l an /data/a.txt /data/b.txt",
  "grep -w an /data/a.txt; echo $?",
  "sort /data/b.txt; sort -n /data/b.txt; sort -rn /data/b.txt | head -n 2",
  "sort -u /data/c.txt; sort /data/c.txt | uniq -c",
  "sort -t: -k2 -n /data/d.txt",
  "uniq -d /data/c.txt",
  "wc /data/a.txt; wc -l /data/a.txt; wc -w < /data/a.txt; wc -c /data/a.txt /data/b.txt",
  "head -n 2 /data/a.txt; head -1 /data/b.txt; tail -n 1 /data/a.txt; tail -2 /data/b.txt",
  "head -c 5 /data/a.txt; echo; tail -c 4 /data/a.txt",
  "tail -n +2 /data/a.txt",
  "cut -d: -f1 /data/d.txt; cut -d: -f2- /data/d.txt; cut -c1-3 /data/a.txt",
  "tr a-z A-Z < /data/a.txt; tr -d a < /data/a.txt; echo hello | tr -s l",
  "echo \"hello world\" | tr '[:lower:]' '[:upper:]'",
  "sed 's/a/A/' /data/a.txt; sed 's/a/A/g' /data/a.txt; sed -n '2p' /data/a.txt; sed '1d' /data/a.txt",
  "sed -e 's/an/AN/2' -e '/cherry/d' /data/a.txt",
  "sed -n '/an/p' /data/a.txt; sed '2,3d' /data/a.txt; sed '$d' /data/a.txt",
  "echo \"key=value\" | sed 's/\\(.*\\)=\\(.*\\)/\\2=\\1/'",
  "echo \"aaa bbb\" | sed -E 's/(a+) (b+)/\\2 \\1/'",
  "echo abc | sed 'y/abc/xyz/'",
  "awk '{print $1}' /data/d.txt; awk -F: '{print $2}' /data/d.txt",
  "awk -F: '{s+=$2} END {print s}' /data/d.txt",
  "awk '{print NR\": \"$0}' /data/a.txt",
  "awk 'NR==2' /data/a.txt; awk '/an/ {print \"has an:\", $0}' /data/a.txt",
  "awk 'BEGIN {printf \"%s-%d\\n\", \"x\", 42}'",
  "awk -F: '$2 > 5 {print $1}' /data/d.txt",
  "echo \"a b c\" | awk '{print NF, $NF}'",
  "awk '{n[$1]++} END {for (k in n) c++; print c}' /data/c.txt",
  "echo \"x y\" | awk '{ $2 = \"Z\"; print }'",
  "awk 'BEGIN { x = 10; y = 3; print x / y, x % y, int(x/y), length(\"abc\"), substr(\"hello\", 2, 3), toupper(\"a\") }'",
  "seq 5; seq 2 4; seq 1 2 9; seq -s, 3; seq 10 -3 1",
  "seq -w 8 10",
  "expr 1 + 2; expr 10 / 3; expr 5 \\* 4; expr 3 \\> 2; expr length hello; expr abc : 'a\\(.\\)'",
  "expr 5 - 5; echo $?; expr 1 / 0; echo $?",
  "basename /a/b/c.txt; basename /a/b/c.txt .txt; dirname /a/b/c.txt; dirname c.txt; basename /; dirname /",
  "echo -e 'b\\na\\nc' | sort",
  "printf 'x\\ny\\n' | wc -l",
  "ls /data; ls -1 /data",
  "ls /data/nope; echo $?",
  "cat /data/a.txt | head -n 1 | tr a-z A-Z",
  "mkdir /data/newdir; echo $?; mkdir /data/newdir; echo $?",
  "rm /data/nothere; echo $?; rm -f /data/nothere; echo $?",
  "touch /data/t.txt && ls /data | grep t.txt",
  "cp /data/a.txt /data/copy.txt && cat /data/copy.txt | wc -l",
  "mkdir -p /data/x/y/z && ls /data/x/y",
  "echo hi > /data/out.txt; cat /data/out.txt",
  "echo hi > /nonexistent_dir/out.txt; echo $?",
  "cat < /data/nope.txt; echo $?",
  "tee /data/tee.txt < /data/b.txt | wc -l; cat /data/tee.txt | head -n 1",
  "yes | head -n 3",
  "seq 1000 | tail -n 1",
  "echo \"3 1 2\" | tr ' ' '\\n' | sort -n | head -n 1",
  "md5sum /data/a.txt; sha256sum /data/b.txt",
  "echo hello | base64; echo aGVsbG8K | base64 -d",
  "grep -c '' /data/a.txt",
  "echo \"a,b,c\" | cut -d, -f2,3",
  "printf '%s\\n' one two three | sed -n '$p'",
  "echo hello | rev",
  "sort -k2 /data/e.txt",
  "cat -n /data/b.txt",
  "find /data -name '*.txt' -maxdepth 1 | sort",
  "true | false; echo $?",
  "date -d @0 -u; date -u -d @86400 +%F",
  "date -u -d '2024-02-29 12:34:56' '+%Y %m %d %H %M %S %j %a %A %b %B'",
  "echo $(seq 3)",
  "x=$(wc -l < /data/a.txt); echo \"lines=$x\"",
  "while read line; do echo \"> $line\"; done < /data/a.txt",
  "while IFS=: read name val; do echo \"$val-$name\"; done < /data/d.txt",
  "for f in /data/*.txt; do basename $f; done",
  "ls /data/*.txt | wc -l",
  "echo /data/[ab].txt",
  "test -f /data/a.txt && echo file; test -d /data && echo dir; test -e /data/zz || echo missing; [ -s /data/a.txt ] && echo nonempty",
  "head -n -1 /data/a.txt",
  "env -i FOO=bar env",
  "sleep 0.1 && echo slept",
  "sleep abc; echo $?",
];

const FILES: Record<string, string> = {
  "/data/a.txt": "apple\nbanana\ncherry\n",
  "/data/b.txt": "10\n9\n100\n2\n",
  "/data/c.txt": "x\ny\nx\nz\ny\nx\n",
  "/data/d.txt": "alice:7\nbob:3\ncarol:12\n",
  "/data/e.txt": "c 1\na 3\nb 2\n"
};

function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

interface Out {
  stdout: string;
  stderr: string;
  status: number | undefined;
}

function mine(argv0: string, image: string, script: string, files: Record<string, string> = {}): Out {
  const mfs = MemFs.from(files);
  mfs.mkdirs('/tmp');
  mfs.mkdirs('/root');
  const r = runToCompletion([argv0, '-c', script], { fs: mfs, resolve: () => undefined }, T0, { image, env: { PATH: '/usr/bin:/bin', HOME: '/root' }, workingDir: '/tmp' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.exitCode };
}

const shells: { name: string; bin: string | undefined; args: string[]; argv0: string; image: string }[] = [
  { name: 'busybox ash', bin: which('busybox'), args: ['-c'], argv0: 'sh', image: 'busybox' },
  { name: 'bash', bin: which('bash'), args: ['-c'], argv0: 'bash', image: 'debian' },
  { name: 'dash', bin: which('dash'), args: ['-c'], argv0: 'sh', image: 'debian' },
];

for (const shl of shells) {
  describe(`shell oracle: ${shl.name}`, () => {
    for (const script of BUILTIN_SCRIPTS) {
      it(JSON.stringify(script), (t) => {
        if (!shl.bin) {
          t.skip(`${shl.name} is not installed on this machine`);
          return;
        }
        // argv0 as the container would name it, since messages start with it.
        const r = spawnSync(shl.bin, [...shl.args, script], { argv0: shl.argv0, encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: '/root' }, cwd: os.tmpdir() });
        const real: Out = { stdout: r.stdout, stderr: r.stderr, status: r.status ?? undefined };
        assert.deepEqual(mine(shl.argv0, shl.image, script), real);
      });
    }
  });
}

describe('shell oracle: busybox applets', () => {
  const bb = which('busybox');
  let bin: string | undefined;
  let root: string | undefined;
  const setup = (): void => {
    if (!bb || bin) return;
    // A directory where every applet name runs busybox, so the real side uses busybox's
    // programs rather than the host's GNU ones.
    bin = fs.mkdtempSync(path.join(os.tmpdir(), 'kubemu-bb-'));
    const list = spawnSync(bb, ['--list'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    for (const a of list) fs.symlinkSync(bb, path.join(bin, a));
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kubemu-bbroot-'));
  };
  for (const script of APPLET_SCRIPTS) {
    it(JSON.stringify(script), (t) => {
      if (!bb) {
        t.skip('busybox is not installed on this machine');
        return;
      }
      setup();
      const r0 = root!;
      fs.rmSync(path.join(r0, 'data'), { recursive: true, force: true });
      for (const [p, d] of Object.entries(FILES)) {
        fs.mkdirSync(path.join(r0, path.dirname(p)), { recursive: true });
        fs.writeFileSync(path.join(r0, p), d);
      }
      const hostScript = script.split('/data').join(r0 + '/data').split('/nonexistent_dir').join(r0 + '/nonexistent_dir');
      const r = spawnSync(path.join(bin!, 'sh'), ['-c', hostScript], { encoding: 'utf8', env: { PATH: bin!, HOME: '/root', TZ: 'UTC' }, cwd: os.tmpdir() });
      const norm = (s: string): string => s.split(r0).join('').split(path.join(bin!, 'sh')).join('sh');
      const m = mine('sh', 'busybox', script, FILES);
      assert.deepEqual(m, { stdout: norm(r.stdout), stderr: norm(r.stderr), status: r.status ?? undefined });
    });
  }
  it('cleans up', () => {
    if (bin) fs.rmSync(bin, { recursive: true, force: true });
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });
});
