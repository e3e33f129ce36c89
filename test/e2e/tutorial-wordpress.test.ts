import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kubemu, tempHome, ROOT } from '../helpers/kubemu';

// "Deploying WordPress and MySQL with Persistent Volumes", in order, in a
// working directory of the user's own: the two manifests fetched with the
// shell set-up's curl (served from the bundled copies), a kustomization with
// a secretGenerator, `apply -k ./`, the hashed Secret, bound claims, running
// pods, the LoadBalancer Service reached through its NodePort, `delete -k ./`.

test('WordPress and MySQL: kustomize, claims, LoadBalancer, clean-up', () => {
  const home = tempHome();
  const work = tempHome('kubemu-wordpress-');
  const k = (...args: string[]) => kubemu(args, { home, cwd: work });

  fs.writeFileSync(path.join(work, 'kustomization.yaml'), 'secretGenerator:\n- name: mysql-pass\n  literals:\n  - password=YOUR_PASSWORD\n');
  for (const file of ['mysql-deployment.yaml', 'wordpress-deployment.yaml']) {
    const r = k('sim', 'curl', '-sLO', `https://k8s.io/examples/application/wordpress/${file}`);
    assert.deepEqual([r.stdout, r.stderr, r.status], ['', '', 0]);
    const bundled = fs.readFileSync(path.join(ROOT, 'manifests', 'examples', 'application', 'wordpress', file), 'utf8');
    assert.equal(fs.readFileSync(path.join(work, file), 'utf8'), bundled);
  }
  // Without -L, k8s.io answers with its redirect, as the real site does.
  assert.match(k('sim', 'curl', '-s', 'https://k8s.io/examples/application/wordpress/mysql-deployment.yaml').stdout, /^<a href="https:\/\/kubernetes\.io\/examples\/application\/wordpress\/mysql-deployment\.yaml">Moved Permanently<\/a>\./);
  fs.appendFileSync(path.join(work, 'kustomization.yaml'), 'resources:\n  - mysql-deployment.yaml\n  - wordpress-deployment.yaml\n');

  // kustomize's legacy order; the Secret's name hash is kubectl 1.32's.
  let r = k('apply', '-k', './');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(
    r.stdout,
    [
      'secret/mysql-pass-5m26tmdb5k created',
      'service/wordpress created',
      'service/wordpress-mysql created',
      'persistentvolumeclaim/mysql-pv-claim created',
      'persistentvolumeclaim/wp-pv-claim created',
      'deployment.apps/wordpress created',
      'deployment.apps/wordpress-mysql created',
      '',
    ].join('\n'),
  );
  assert.match(k('get', 'secrets').stdout, /^NAME\s+TYPE\s+DATA\s+AGE\nmysql-pass-5m26tmdb5k\s+Opaque\s+1\s+\d+s\n$/);
  // Both Deployments read the password from the hashed name.
  assert.equal(
    k('get', 'deploy', '-o', 'jsonpath={range .items[*]}{.spec.template.spec.containers[0].env[?(@.name=="MYSQL_ROOT_PASSWORD")].valueFrom.secretKeyRef.name}{.spec.template.spec.containers[0].env[?(@.name=="WORDPRESS_DB_PASSWORD")].valueFrom.secretKeyRef.name}{"\\n"}{end}').stdout,
    'mysql-pass-5m26tmdb5k\nmysql-pass-5m26tmdb5k\n',
  );

  // The default StorageClass provisions a 20Gi volume for each claim.
  const pvc = k('get', 'pvc').stdout.split('\n');
  assert.match(pvc[0], /^NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+AGE$/);
  assert.match(pvc[1], /^mysql-pv-claim\s+Bound\s+pvc-[0-9a-f-]{36}\s+20Gi\s+RWO\s+standard\s+<unset>\s+\d+s$/);
  assert.match(pvc[2], /^wp-pv-claim\s+Bound\s+pvc-[0-9a-f-]{36}\s+20Gi\s+RWO\s+standard\s+<unset>\s+\d+s$/);

  k('sim', 'advance', '2m');
  const pods = k('get', 'pods').stdout;
  assert.match(pods, /^wordpress-mysql-[a-z0-9]{8,10}-[a-z0-9]{5}\s+1\/1\s+Running\s+0\s+2m\d*s?$/m);
  assert.match(pods, /^wordpress-[a-z0-9]{8,10}-[a-z0-9]{5}\s+1\/1\s+Running\s+0\s+2m\d*s?$/m);
  assert.match(k('logs', 'deploy/wordpress-mysql').stdout, /ready for connections/);

  const svc = k('get', 'services', 'wordpress').stdout;
  const nodePort = /80:(\d+)\/TCP/.exec(svc)?.[1];
  assert.match(svc, /^wordpress\s+LoadBalancer\s+10\.\d+\.\d+\.\d+\s+<pending>\s+80:3\d{4}\/TCP\s+2m\d*s?$/m);
  // A fresh WordPress sends the browser to its installer, on the address it was asked for.
  r = k('sim', 'curl', '-s', '-i', `http://192.168.49.2:${nodePort}/`);
  assert.match(r.stdout, /^HTTP\/1\.1 302 Found\r\n/);
  assert.match(r.stdout, new RegExp(`\r\nLocation: http://192\\.168\\.49\\.2:${nodePort}/wp-admin/install\\.php\r\n`));
  assert.match(k('sim', 'curl', '-s', `http://192.168.49.2:${nodePort}/wp-admin/install.php`).stdout, /WordPress/);

  r = k('delete', '-k', './');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^secret "mysql-pass-5m26tmdb5k" deleted\n/);
  assert.match(r.stdout, /persistentvolumeclaim "wp-pv-claim" deleted\ndeployment\.apps "wordpress" deleted\ndeployment\.apps "wordpress-mysql" deleted\n$/);
  k('sim', 'advance', '1m');
  // The provisioned volumes go with their claims (reclaim policy Delete).
  assert.deepEqual([k('get', 'pv').stderr, k('get', 'pods').stderr], ['No resources found\n', 'No resources found in default namespace.\n']);
});
