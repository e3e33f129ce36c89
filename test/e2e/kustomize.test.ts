import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kubemu, stateBytes, tempHome, ROOT } from '../helpers/kubemu';
import { oracleSkip, runOracle } from '../helpers/oracle';

// kubectl kustomize and -k, through bin/kubemu: a corpus of kustomization
// directories (fixtures/kustomize) built by kubemu and by the real kubectl
// 1.32, byte for byte, errors included; then the Redis tutorial's
// `apply -k ./` end to end.

const CORPUS = path.join(ROOT, 'fixtures', 'kustomize');
const NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

// Every directory with a kustomization file, and every error case.
function cases(dir: string, out: string[] = []): string[] {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  if (entries.some((e) => e.isFile() && NAMES.includes(e.name)) || path.basename(path.dirname(dir)) === 'errors') out.push(dir);
  for (const e of entries) if (e.isDirectory()) cases(path.join(dir, e.name), out);
  return out;
}

// Go prints a pointer in one message; its value is noise.
const normalize = (s: string) => s.replace(/0xc[0-9a-f]{6,}/g, '0xc000000000');

describe('kubectl kustomize: the corpus against kubectl 1.32', { skip: oracleSkip }, () => {
  const home = tempHome('kubemu-kustomize-');
  for (const dir of cases(CORPUS)) {
    test(path.relative(CORPUS, dir), () => {
      const mine = kubemu(['kustomize', '.'], { home, cwd: dir });
      const real = runOracle(['kustomize', '.'], { cwd: dir });
      assert.equal(mine.stdout, real.stdout);
      assert.equal(normalize(mine.stderr), normalize(real.stderr));
      assert.equal(mine.status, real.status);
    });
  }

  test('a directory named from elsewhere, and the command line errors', () => {
    for (const args of [
      ['kustomize', 'overlay/prod'],
      ['kustomize', 'redis/'],
      ['kustomize', 'redis/redis-pod.yaml'],
      ['kustomize', 'nonexistent'],
      ['kustomize', 'a', 'b'],
      ['kustomize', 'redis', '--load-restrictor', 'nope'],
      ['kustomize', 'errors/outside-root/inner', '--load-restrictor', 'LoadRestrictionsNone'],
      ['kustomize', 'sort-order', '--reorder', 'none'],
    ]) {
      const mine = kubemu(args, { home, cwd: CORPUS });
      const real = runOracle(args, { cwd: CORPUS });
      assert.deepEqual([mine.stdout, mine.stderr, mine.status], [real.stdout, real.stderr, real.status], args.join(' '));
    }
  });
});

describe('kubectl kustomize -o', () => {
  test('a file gets the stream, a directory one file per object', () => {
    const home = tempHome('kubemu-kustomize-');
    const out = path.join(home, 'out.yaml');
    let r = kubemu(['kustomize', 'redis', '-o', out], { home, cwd: CORPUS });
    assert.deepEqual([r.stdout, r.stderr, r.status], ['', '', 0]);
    assert.equal(fs.readFileSync(out, 'utf8'), kubemu(['kustomize', 'redis'], { home, cwd: CORPUS }).stdout);
    const dir = path.join(home, 'dir');
    fs.mkdirSync(dir);
    r = kubemu(['kustomize', 'redis', '-o', dir], { home, cwd: CORPUS });
    assert.equal(r.status, 0);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['v1_configmap_example-redis-config-hfbhg9b679.yaml', 'v1_pod_redis.yaml']);
  });

  test('an object name never places its file outside the directory', () => {
    const home = tempHome('kubemu-kustomize-');
    const src = path.join(home, 'src');
    const dir = path.join(home, 'out', 'dir');
    fs.mkdirSync(src);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(src, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ../../escaped\n');
    fs.writeFileSync(path.join(src, 'kustomization.yaml'), 'resources:\n- cm.yaml\n');
    const r = kubemu(['kustomize', src, '-o', dir], { home });
    assert.deepEqual([r.stderr, r.status], [`error: refusing to write "v1_configmap_../../escaped.yaml" outside ${dir}\n`, 1]);
    assert.deepEqual([fs.readdirSync(dir), fs.readdirSync(path.join(home, 'out'))], [[], ['dir']]);
    assert.equal(fs.existsSync(path.join(home, 'escaped.yaml')), false);
  });

  test('--help is kubectl kustomize --help', () => {
    const home = tempHome('kubemu-kustomize-');
    const r = kubemu(['kustomize', '--help'], { home });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^Build a set of KRM resources using a 'kustomization.yaml' file\./);
    assert.match(r.stdout, /\n  kubectl kustomize DIR \[flags\] \[options\]\n/);
  });
});

describe('apply -k: the ConfigMap + Redis tutorial', () => {
  // The tutorial's directory: redis-config, redis-pod.yaml, a kustomization
  // built by two heredocs.
  function tutorialDir(): string {
    const dir = tempHome('kubemu-redis-');
    fs.copyFileSync(path.join(ROOT, 'manifests', 'examples', 'pods', 'config', 'redis-config'), path.join(dir, 'redis-config'));
    fs.copyFileSync(path.join(ROOT, 'manifests', 'examples', 'pods', 'config', 'redis-pod.yaml'), path.join(dir, 'redis-pod.yaml'));
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'configMapGenerator:\n- name: example-redis-config\n  files:\n  - redis-config\n');
    fs.appendFileSync(path.join(dir, 'kustomization.yaml'), 'resources:\n- redis-pod.yaml\n');
    return dir;
  }

  test('the ConfigMap gets its hashed name and the Pod mounts it', () => {
    const home = tempHome();
    const dir = tutorialDir();
    const k = (...args: string[]) => kubemu(args, { home, cwd: dir });
    let r = k('apply', '-k', './');
    assert.deepEqual([r.stdout, r.stderr, r.status], ['configmap/example-redis-config-hfbhg9b679 created\npod/redis created\n', '', 0]);
    r = k('get', 'pod', 'redis', '-o', 'jsonpath={.spec.volumes[?(@.name=="config")].configMap.name}');
    assert.equal(r.stdout, 'example-redis-config-hfbhg9b679');
    r = k('get', 'configmap', 'example-redis-config-hfbhg9b679', '-o', 'jsonpath={.data.redis-config}');
    assert.equal(r.stdout, 'maxmemory 2mb\nmaxmemory-policy allkeys-lru\n');
    r = k('sim', 'advance', '1m');
    assert.equal(r.status, 0);
    r = k('get', '-k', '.');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^NAME {40}DATA   AGE\nconfigmap\/example-redis-config-hfbhg9b679   1      \S+\n\nNAME        READY   STATUS    RESTARTS   AGE\npod\/redis   1\/1     Running   0          \S+\n$/);
    r = k('apply', '-k', '.');
    // The server stored the pod's cpu "0.1" as "100m"; kubectl's three-way
    // patch sends "0.1" again, so the pod is "configured" each time (as the
    // real kubectl against such a server says; kubernetes/kubernetes#116135).
    assert.deepEqual([r.stdout, r.status], ['configmap/example-redis-config-hfbhg9b679 unchanged\npod/redis configured\n', 0]);
    r = k('diff', '-k', '.');
    assert.deepEqual([r.stdout, r.status], ['', 0]);
    r = k('delete', '-k', '.', '--wait=false');
    assert.deepEqual([r.stdout, r.status], ['configmap "example-redis-config-hfbhg9b679" deleted\npod "redis" deleted\n', 0]);
  });

  test('create -k and the WordPress secret generator', () => {
    const home = tempHome();
    const r = kubemu(['create', '-k', 'wordpress', '--dry-run=client', '-o', 'name'], { home, cwd: CORPUS });
    assert.deepEqual(
      [r.stdout, r.stderr, r.status],
      ['secret/mysql-pass-5m26tmdb5k\nservice/wordpress\nservice/wordpress-mysql\npersistentvolumeclaim/mysql-pv-claim\npersistentvolumeclaim/wp-pv-claim\ndeployment.apps/wordpress\ndeployment.apps/wordpress-mysql\n', '', 0],
    );
  });

  test('a kustomization that does not build changes nothing (exit 1, kubectl\'s message)', () => {
    const home = tempHome();
    const k = (...args: string[]) => kubemu(args, { home, cwd: CORPUS });
    assert.equal(k('apply', '-k', 'redis').status, 0);
    const before = stateBytes(home);
    const cases: [string[], string][] = [
      [['apply', '-k', 'errors/unknown-field'], 'error: invalid Kustomization: json: unknown field "namPrefix"\n'],
      [
        ['apply', '-k', 'errors/missing-kustomization'],
        `error: unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${path.join(CORPUS, 'errors', 'missing-kustomization')}'\n`,
      ],
      [
        ['apply', '-k', 'errors/bad-yaml-resource'],
        "error: accumulating resources: accumulating resources from 'x.yaml': MalformedYAMLError: yaml: line 5: mapping values are not allowed in this context in File: x.yaml\n",
      ],
      [['apply', '-k', 'redis', '-f', 'redis/redis-pod.yaml'], 'error: only one of -f or -k can be specified\n'],
      [['apply', '-k', 'redis', '-R'], "error: the -k flag can't be used with -f or -R\n"],
      [['create', '-k', 'errors/duplicate-key'], 'error: configmap dup illegally repeats the key `a`\n'],
      [['delete', '-k', 'errors/empty-kustomization'], 'error: kustomization.yaml is empty\n'],
      [['get', '-k', 'errors/missing-resource'], `error: accumulating resources: accumulation err='accumulating resources from 'missing.yaml': evalsymlink failure on '${path.join(CORPUS, 'errors', 'missing-resource', 'missing.yaml')}' : lstat ${path.join(CORPUS, 'errors', 'missing-resource', 'missing.yaml')}: no such file or directory': must build at directory: not a valid directory: evalsymlink failure on '${path.join(CORPUS, 'errors', 'missing-resource', 'missing.yaml')}' : lstat ${path.join(CORPUS, 'errors', 'missing-resource', 'missing.yaml')}: no such file or directory\n`],
    ];
    for (const [args, stderr] of cases) {
      const r = k(...args);
      assert.deepEqual([r.stdout, r.stderr, r.status], ['', stderr, 1], args.join(' '));
    }
    assert.equal(stateBytes(home), before);
    // diff reports a build error with its own exit code.
    const d = k('diff', '-k', 'errors/unknown-field');
    assert.deepEqual([d.stderr, d.status], ['error: invalid Kustomization: json: unknown field "namPrefix"\n', 2]);
  });
});
