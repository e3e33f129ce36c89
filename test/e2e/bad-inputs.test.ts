import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { BIN, ROOT, stateBytes, tempHome } from '../helpers/kubemu';
import type { Result } from '../helpers/kubemu';
import { oraclePath, oracleSkip } from '../helpers/oracle';
import { typeMetaProblem } from '../../src/cli/manifests';
import { jsonStreamToValues, looksLikeJson, ManifestSyntaxError, splitYamlDocuments, yamlDocumentToJson } from '../../src/cli/yaml-errors';

// The bad-input corpus (fixtures/bad-inputs/cases.yaml): every case must fail
// with kubectl's exact stderr, exit code 1, and leave state.json byte for byte
// as it was. Where the real kubectl can see the error offline (client-side:
// parsing, files, flags), it is run too and must print the same bytes. The
// `accepted` cases are inputs kubectl takes although they look wrong.

const FIXTURES = path.join(ROOT, 'fixtures', 'bad-inputs');

interface BadCase {
  name: string;
  note?: string;
  args: string[];
  setup?: string[][];
  stdin?: string | { generate: string };
  stderr?: string;
  stderrMatch?: string;
  stdout?: string;
  oracle?: boolean;
  divergence?: string;
  maxMs?: number;
}

interface AcceptedCase {
  name: string;
  note?: string;
  args: string[];
  stdout: string;
  oracleParses?: boolean;
  check: string[];
  checkStdout: string;
}

// The table is data written by hand: check its shape rather than trust it.
function strings(v: unknown, where: string): string[] {
  assert.ok(Array.isArray(v) && v.every((x) => typeof x === 'string'), `${where}: a list of strings`);
  return v as string[];
}

function optString(o: Record<string, unknown>, key: string, where: string): string | undefined {
  const v = o[key];
  assert.ok(v === undefined || typeof v === 'string', `${where}.${key}: a string`);
  return v as string | undefined;
}

function record(v: unknown, where: string): Record<string, unknown> {
  assert.ok(typeof v === 'object' && v !== null && !Array.isArray(v), `${where}: a mapping`);
  return v as Record<string, unknown>;
}

function loadCases(): { bad: BadCase[]; accepted: AcceptedCase[] } {
  const doc = record(parse(fs.readFileSync(path.join(FIXTURES, 'cases.yaml'), 'utf8')), 'cases.yaml');
  const bad = (doc.bad as unknown[]).map((raw, i): BadCase => {
    const o = record(raw, `bad[${i}]`);
    const where = `bad[${i}] ${String(o.name)}`;
    const stdin = o.stdin;
    assert.ok(stdin === undefined || typeof stdin === 'string' || typeof record(stdin, where).generate === 'string', `${where}.stdin`);
    assert.ok((o.stderr === undefined) !== (o.stderrMatch === undefined), `${where}: stderr or stderrMatch`);
    assert.ok(o.maxMs === undefined || typeof o.maxMs === 'number', `${where}.maxMs`);
    return {
      name: optString(o, 'name', where) ?? `bad[${i}]`,
      note: optString(o, 'note', where),
      args: strings(o.args, `${where}.args`),
      setup: o.setup === undefined ? undefined : (o.setup as unknown[]).map((s, j) => strings(s, `${where}.setup[${j}]`)),
      stdin: stdin as BadCase['stdin'],
      stderr: optString(o, 'stderr', where),
      stderrMatch: optString(o, 'stderrMatch', where),
      stdout: optString(o, 'stdout', where),
      oracle: o.oracle === true,
      divergence: optString(o, 'divergence', where),
      maxMs: o.maxMs as number | undefined,
    };
  });
  const accepted = (doc.accepted as unknown[]).map((raw, i): AcceptedCase => {
    const o = record(raw, `accepted[${i}]`);
    const where = `accepted[${i}] ${String(o.name)}`;
    return {
      name: optString(o, 'name', where) ?? `accepted[${i}]`,
      note: optString(o, 'note', where),
      args: strings(o.args, `${where}.args`),
      stdout: optString(o, 'stdout', where) ?? '',
      oracleParses: o.oracleParses === true,
      check: strings(o.check, `${where}.check`),
      checkStdout: optString(o, 'checkStdout', where) ?? '',
    };
  });
  return { bad, accepted };
}

// Big documents are made here rather than kept in the repository; the
// expectations only depend on the ConfigMap's name and size.
const GENERATED: Record<string, { name: string; size: number; width: number }> = {
  'configmap-10mb': { name: 'huge', size: 10 * 1024 * 1024, width: 100 },
  'configmap-1.2mb': { name: 'big', size: 1228800, width: 1000 },
};

function generate(kind: string): string {
  const spec = GENERATED[kind];
  assert.ok(spec, `no generator "${kind}"`);
  const parts = [`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${spec.name}\ndata:\n`];
  let total = parts[0].length;
  const value = 'x'.repeat(spec.width);
  for (let i = 0; total < spec.size; i++) {
    const line = `  key${String(i).padStart(6, '0')}: ${value}\n`;
    parts.push(line);
    total += line.length;
  }
  return parts.join('');
}

function stdinOf(c: BadCase): string | undefined {
  if (c.stdin === undefined || typeof c.stdin === 'string') return c.stdin;
  return generate(c.stdin.generate);
}

function checkStderr(c: BadCase, stderr: string, who: string): void {
  if (c.stderrMatch !== undefined) {
    assert.match(stderr, new RegExp(`^(?:${c.stderrMatch})$`), `${who} stderr`);
  } else {
    assert.equal(stderr, c.stderr, `${who} stderr`);
  }
}

// Processes run two at a time (the cases are many, each a start-up), so they
// are spawned asynchronously; environments are those of test/helpers.
function run(file: string, args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), status: code ?? -1 }));
    child.stdin.on('error', () => undefined); // a command may exit before reading its input
    child.stdin.end(input ?? '');
  });
}

// As test/helpers/kubemu.ts runs it: manual clock, fixed seed, no daemon, UTC.
function kubemu(args: string[], home: string, input?: string): Promise<Result> {
  const env = { PATH: process.env.PATH, HOME: home, TZ: 'UTC', KUBEMU_HOME: home, KUBEMU_DAEMON: '0', KUBEMU_CLOCK: 'manual', KUBEMU_SEED: '42' };
  return run(process.execPath, [BIN, ...args], env, input);
}

// As test/helpers/oracle.ts runs it: an empty kubeconfig, no cluster.
function oracle(args: string[], input?: string): Promise<Result> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, KUBECONFIG: '/dev/null', TZ: 'UTC' };
  return run(oraclePath!, args, env, input);
}

// Clusters lent to one test at a time: a case needs the state file to itself
// between its two snapshots.
class Homes {
  private readonly free: string[] = [];
  private readonly waiting: ((home: string) => void)[] = [];
  private made = 0;

  constructor(private readonly max: number) {}

  async take(): Promise<string> {
    const home = this.free.pop();
    if (home) return home;
    if (this.made < this.max) {
      this.made++;
      const fresh = tempHome('kubemu-bad-');
      const r = await kubemu(['get', 'namespaces'], fresh);
      assert.equal(r.status, 0, r.stderr);
      return fresh;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  give(home: string): void {
    const next = this.waiting.shift();
    if (next) next(home);
    else this.free.push(home);
  }
}

const CONCURRENCY = 2;
const { bad, accepted } = loadCases();

describe('bad inputs: kubectl\'s error, exit code 1, nothing changed', { concurrency: CONCURRENCY }, () => {
  // Cases without setup share clusters; those with setup use others, their
  // objects differing by kind or name (a new cluster costs a start-up).
  const plain = new Homes(CONCURRENCY);
  const withSetup = new Homes(CONCURRENCY);
  for (const c of bad) {
    const title = c.note ? `${c.name} (${c.note})` : c.name;
    test(title, { todo: c.divergence }, async (t) => {
      const homes = c.setup ? withSetup : plain;
      const home = await homes.take();
      try {
        for (const s of c.setup ?? []) {
          const r = await kubemu(s, home);
          assert.equal(r.status, 0, `setup ${s.join(' ')}: ${r.stderr}`);
        }
        const input = stdinOf(c);
        const before = stateBytes(home);
        const started = Date.now();
        const r = await kubemu(c.args, home, input);
        const took = Date.now() - started;
        checkStderr(c, r.stderr, 'kubemu');
        assert.equal(r.status, 1, 'kubemu exit code');
        assert.equal(r.stdout, c.stdout ?? '', 'kubemu stdout');
        assert.ok(stateBytes(home) === before, 'state.json changed');
        if (c.maxMs !== undefined) assert.ok(took <= c.maxMs, `took ${took} ms, more than ${c.maxMs}`);
        if (c.oracle) {
          if (oracleSkip) {
            t.diagnostic(`not compared with kubectl: ${oracleSkip}`);
            return;
          }
          const o = await oracle(c.args, input);
          checkStderr(c, o.stderr, 'kubectl');
          assert.equal(o.status, 1, 'kubectl exit code');
          assert.equal(o.stderr, r.stderr, 'kubemu and kubectl differ');
        }
      } finally {
        homes.give(home);
      }
    });
  }
});

describe('accepted like kubectl', () => {
  const homes = new Homes(1);
  for (const c of accepted) {
    test(c.note ? `${c.name} (${c.note})` : c.name, async (t) => {
      const home = await homes.take();
      try {
        const r = await kubemu(c.args, home);
        assert.equal(r.stderr, '', 'stderr');
        assert.equal(r.status, 0, 'exit code');
        assert.equal(r.stdout, c.stdout, 'stdout');
        const check = await kubemu(c.check, home);
        assert.equal(check.stdout, c.checkStdout, `${c.check.join(' ')}: ${check.stderr}`);
        if (c.oracleParses) {
          if (oracleSkip) {
            t.diagnostic(`not compared with kubectl: ${oracleSkip}`);
            return;
          }
          // Offline, kubectl only stops at the OpenAPI download: parsing and the
          // client-side checks passed.
          const o = await oracle(c.args);
          assert.match(o.stderr, /error validating data: failed to download openapi/, 'kubectl stderr');
        }
      } finally {
        homes.give(home);
      }
    });
  }
});

test('every manifest under fixtures/bad-inputs/m is used by a case', () => {
  const used = new Set<string>();
  for (const c of [...bad, ...accepted]) {
    for (const a of [...c.args, ...('setup' in c && c.setup ? c.setup.flat() : [])]) used.add(a);
  }
  const unused = fs
    .readdirSync(path.join(FIXTURES, 'm'))
    .map((f) => `fixtures/bad-inputs/m/${f}`)
    .filter((f) => !used.has(f));
  assert.deepEqual(unused, []);
});

// What kubectl offline reports for a file: the first document's parse or
// validation error, or `parsed` when it gets as far as an object.
function firstProblem(file: string, text: string): string {
  const values = looksLikeJson(text)
    ? jsonStreamToValues(text)
    : (function* () {
        for (const doc of splitYamlDocuments(text)) yield yamlDocumentToJson(doc);
      })();
  try {
    for (const v of values) {
      if (v === null || v === undefined) continue;
      const problem = typeMetaProblem(v);
      if (!problem) return 'parsed';
      return `error: error validating "${file}": error validating data: ${problem}; if you choose to ignore these errors, turn validation off with --validate=false`;
    }
  } catch (e) {
    if (e instanceof ManifestSyntaxError) return `error: error parsing ${file}: ${e.message}`;
    throw e;
  }
  return 'error: no objects passed to apply';
}

// Beyond the table: fixtures mangled at random (but reproducibly) must make
// kubemu's parser say what kubectl's says, line numbers included. kubectl
// offline stops at the first object it could parse (it cannot download the
// OpenAPI schema), so only what comes before that is compared.
test('mangled manifests: kubemu and kubectl agree on the first error', { skip: oracleSkip }, async () => {
  const seeds = fs
    .readdirSync(path.join(FIXTURES, 'm'))
    .filter((f) => /^(ok-|immutable-.*-v1|deploy-|svc-|pod-)/.test(f))
    .map((f) => fs.readFileSync(path.join(FIXTURES, 'm', f), 'utf8'));
  let seed = 20241123;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const bits = [' ', '\t', ':', ': ', '- ', '-', '"', "'", '[', ']', '{', '}', '#', '&a ', '*a', '!!int ', '|', '>', '\n', '?', ',', '%', '@', '\\', '---', '...'];
  const mangle = (text: string): string => {
    const lines = text.split('\n');
    const i = rnd(lines.length);
    switch (rnd(4)) {
      case 0: {
        const at = rnd(text.length);
        return text.slice(0, at) + text.slice(at + 1);
      }
      case 1: {
        const at = rnd(text.length);
        return text.slice(0, at) + bits[rnd(bits.length)] + text.slice(at);
      }
      case 2:
        lines[i] = rnd(2) ? ` ${lines[i]}` : lines[i].replace(/^ /, '');
        return lines.join('\n');
      default:
        lines[i] = lines[i].replace(/^( *)/, (m) => m + bits[rnd(bits.length)]);
        return lines.join('\n');
    }
  };
  const dir = fs.mkdtempSync(path.join(tempHome('kubemu-mangled-'), 'm-'));
  const disagreements: string[] = [];
  for (let n = 0; n < 40; n++) {
    let text = seeds[rnd(seeds.length)];
    for (let k = 1 + rnd(3); k > 0; k--) text = mangle(text);
    const file = path.join(dir, `case-${n}.yaml`);
    fs.writeFileSync(file, text);
    // kubectl drops a UTF-8 byte order mark before parsing, as readSources does.
    const mine = firstProblem(file, text.replace(/^\uFEFF/, ''));
    const o = await oracle(['apply', '-f', file]);
    const theirs = /failed to download openapi|unable to recognize/.test(o.stderr) ? 'parsed' : o.stderr.trimEnd();
    if (mine !== theirs) {
      disagreements.push(`${file}\n  kubectl: ${theirs}\n  kubemu:  ${mine}`);
    }
  }
  assert.deepEqual(disagreements, []);
});
