import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, clusterInDir, kubemu } from '../helpers/kubemu';

// "Connecting Applications with Services" from "Securing the Service" on,
// the LoadBalancer part of "Using Source IP", and "Explore Termination
// Behavior for Pods And Their Endpoints", in order; then the storage
// protection finalizers of the PersistentVolume page. The page's host-side
// `make keys` / `openssl req -x509 ...` is a host command: its result is the
// fixture in fixtures/tls (CN=my-nginx, O=my-nginx).

const TLS = path.join(ROOT, 'fixtures', 'tls');
const WELCOME = /<title>Welcome to nginx!<\/title>/;

function firstName(k: (...a: string[]) => { stdout: string }, selector: string): string {
  return k('get', 'pods', '-l', selector, '-o', 'jsonpath={.items[0].metadata.name}').stdout;
}

test('Securing the Service: a TLS Secret, nginx over https, curl with the certificate', () => {
  const { k, dir } = clusterInDir();
  for (const f of ['nginx.key', 'nginx.crt', 'default.conf']) fs.copyFileSync(path.join(TLS, f), path.join(dir, f));
  k('apply', '-f', 'https://k8s.io/examples/service/networking/run-my-nginx.yaml');
  k('expose', 'deployment/my-nginx');
  k('sim', 'advance', '20s');

  assert.equal(k('create', 'secret', 'tls', 'nginxsecret', '--key', 'nginx.key', '--cert', 'nginx.crt').stdout, 'secret/nginxsecret created\n');
  assert.equal(k('get', 'secrets').stdout, 'NAME          TYPE                DATA   AGE\nnginxsecret   kubernetes.io/tls   2      0s\n');
  assert.equal(k('create', 'configmap', 'nginxconfigmap', '--from-file=default.conf').stdout, 'configmap/nginxconfigmap created\n');
  assert.match(k('get', 'configmaps').stdout, /^nginxconfigmap     1      0s$/m);

  // The manual way: the same pair, base64 on one line each, applied over it.
  const b64 = (f: string) => fs.readFileSync(path.join(dir, f)).toString('base64');
  fs.writeFileSync(
    path.join(dir, 'nginxsecrets.yaml'),
    `apiVersion: "v1"\nkind: "Secret"\nmetadata:\n  name: "nginxsecret"\n  namespace: "default"\ntype: kubernetes.io/tls\ndata:\n  tls.crt: "${b64('nginx.crt')}"\n  tls.key: "${b64('nginx.key')}"\n`,
  );
  const applied = k('apply', '-f', 'nginxsecrets.yaml');
  assert.equal(applied.stdout, 'secret/nginxsecret configured\n');
  assert.match(applied.stderr, /^Warning: resource secrets\/nginxsecret is missing the kubectl.kubernetes.io\/last-applied-configuration annotation/);
  assert.equal(k('get', 'secrets').stdout, 'NAME          TYPE                DATA   AGE\nnginxsecret   kubernetes.io/tls   2      0s\n');

  assert.equal(k('delete', 'deployments,svc', 'my-nginx').stdout, 'deployment.apps "my-nginx" deleted\nservice "my-nginx" deleted\n');
  assert.equal(k('create', '-f', 'https://k8s.io/examples/service/networking/nginx-secure-app.yaml').stdout, 'service/my-nginx created\ndeployment.apps/my-nginx created\n');
  k('sim', 'advance', '30s');
  const ips = k('get', 'pods', '-l', 'run=my-nginx', '-o', 'custom-columns=POD_IP:.status.podIPs').stdout;
  const podIP = /\[map\[ip:(10\.244\.0\.\d+)\]\]/.exec(ips)?.[1] ?? '';
  assert.match(ips, /^POD_IP\n\[map\[ip:10\.244\.0\.\d+\]\]\n$/);

  assert.equal(k('apply', '-f', 'https://k8s.io/examples/service/networking/curlpod.yaml').stdout, 'deployment.apps/curl-deployment created\n');
  k('sim', 'advance', '20s');
  assert.match(k('get', 'pods', '-l', 'app=curlpod').stdout, /^NAME +READY +STATUS +RESTARTS +AGE\ncurl-deployment-[a-z0-9]+-[a-z0-9]{5}   1\/1     Running   0          20s\n$/);
  const curlPod = firstName(k, 'app=curlpod');

  // `node $ curl -k https://<pod IP>`: -k ignores the name mismatch.
  assert.match(k('exec', curlPod, '--', 'curl', '-sk', `https://${podIP}`).stdout, /<h1>Welcome to nginx!<\/h1>/);
  // Through the Service, the certificate's CN is the name curl asked for.
  const ok = k('exec', curlPod, '--', 'curl', 'https://my-nginx', '--cacert', '/etc/nginx/ssl/tls.crt');
  assert.equal(ok.status, 0);
  assert.match(ok.stdout, WELCOME);
  // Not a terminal: curl's progress meter goes to stderr.
  assert.match(ok.stderr, /^ {2}% Total {4}% Received % Xferd/);

  // What real curl refuses, it refuses here.
  const noCA = k('exec', curlPod, '--', 'curl', '-sS', 'https://my-nginx');
  assert.equal(noCA.stdout, '');
  assert.equal(
    noCA.stderr,
    'curl: (60) SSL certificate problem: self-signed certificate\nMore details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the web page mentioned above.\ncommand terminated with exit code 60\n',
  );
  assert.equal(noCA.status, 60);
  const byIP = k('exec', curlPod, '--', 'curl', '-sS', `https://${podIP}`, '--cacert', '/etc/nginx/ssl/tls.crt');
  assert.match(byIP.stderr, new RegExp(`^curl: \\(60\\) SSL: certificate subject name 'my-nginx' does not match target host name '${podIP.replace(/\./g, '\\.')}'\n`));
  assert.equal(byIP.status, 60);
  const missing = k('exec', curlPod, '--', 'curl', '-sS', 'https://my-nginx', '--cacert', '/etc/nginx/ssl/nope.crt');
  assert.equal(missing.stderr, 'curl: (77) error setting certificate file: /etc/nginx/ssl/nope.crt\ncommand terminated with exit code 77\n');
  // https to the plain port, plain HTTP to the TLS port.
  assert.match(k('exec', curlPod, '--', 'curl', '-sS', 'https://my-nginx:8080').stderr, /^curl: \(35\) error:0A00010B:SSL routines::wrong version number\n/);
  assert.match(k('exec', curlPod, '--', 'curl', '-s', 'http://my-nginx:443').stdout, /^<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port<\/title><\/head>/);

  // Exposing the Service: the NodePorts...
  const yaml = k('get', 'svc', 'my-nginx', '-o', 'yaml').stdout.split('\n');
  const at = yaml.findIndex((l) => l.includes('nodePort'));
  assert.deepEqual(yaml.slice(at - 3, at + 9).map((l) => l.replace(/\d{5}/, 'N')), [
    '  ipFamilyPolicy: SingleStack',
    '  ports:',
    '  - name: http',
    '    nodePort: N',
    '    port: 8080',
    '    protocol: TCP',
    '    targetPort: 80',
    '  - name: https',
    '    nodePort: N',
    '    port: 443',
    '    protocol: TCP',
    '    targetPort: 443',
  ]);
  // ...and minikube's node has only an InternalIP: `grep ExternalIP` finds nothing.
  const nodes = k('get', 'nodes', '-o', 'yaml').stdout;
  assert.doesNotMatch(nodes, /ExternalIP/);
  assert.match(nodes, /- address: 192\.168\.49\.2\n {6}type: InternalIP\n/);
  const httpsPort = k('get', 'svc', 'my-nginx', '-o', 'jsonpath={.spec.ports[1].nodePort}').stdout;
  assert.match(k('sim', 'curl', `https://192.168.49.2:${httpsPort}`, '-k').stdout, /<h1>Welcome to nginx!<\/h1>/);
  assert.equal(k('sim', 'curl', '-s', `https://192.168.49.2:${httpsPort}`).status, 60);

  // kubectl edit to LoadBalancer, with a scripted editor.
  const editor = path.join(dir, 'to-lb.sh');
  fs.writeFileSync(editor, '#!/bin/sh\nsed -i "s/type: NodePort/type: LoadBalancer/" "$1"\n', { mode: 0o755 });
  const edited = kubemu(['edit', 'svc', 'my-nginx'], { home: path.dirname(dir), cwd: dir, env: { KUBE_EDITOR: editor } });
  assert.equal(edited.stdout, 'service/my-nginx edited\n');
  const httpPort = k('get', 'svc', 'my-nginx', '-o', 'jsonpath={.spec.ports[0].nodePort}').stdout;
  const clusterIP = k('get', 'svc', 'my-nginx', '-o', 'jsonpath={.spec.clusterIP}').stdout;
  // minikube has no load balancer without `minikube tunnel`: EXTERNAL-IP stays <pending>.
  const row = k('get', 'svc', 'my-nginx').stdout.split('\n')[1];
  assert.equal(row.replace(/\s+/g, ' '), `my-nginx LoadBalancer ${clusterIP} <pending> 8080:${httpPort}/TCP,443:${httpsPort}/TCP 50s`);
  // No "LoadBalancer Ingress:" line until a load balancer answers.
  assert.equal(
    k('describe', 'service', 'my-nginx').stdout,
    // kubectl's describe: labels in a 26-wide column.
    (
      [
        ['Name:', 'my-nginx'],
        ['Namespace:', 'default'],
        ['Labels:', 'run=my-nginx'],
        ['Annotations:', '<none>'],
        ['Selector:', 'run=my-nginx'],
        ['Type:', 'LoadBalancer'],
        ['IP Family Policy:', 'SingleStack'],
        ['IP Families:', 'IPv4'],
        ['IP:', clusterIP],
        ['IPs:', clusterIP],
        ['Port:', 'http  8080/TCP'],
        ['TargetPort:', '80/TCP'],
        ['NodePort:', `http  ${httpPort}/TCP`],
        ['Endpoints:', `${podIP}:80`],
        ['Port:', 'https  443/TCP'],
        ['TargetPort:', '443/TCP'],
        ['NodePort:', `https  ${httpsPort}/TCP`],
        ['Endpoints:', `${podIP}:443`],
        ['Session Affinity:', 'None'],
        ['External Traffic Policy:', 'Cluster'],
        ['Internal Traffic Policy:', 'Cluster'],
        ['Events:', '<none>'],
      ] as const
    )
      .map(([label, value]) => label.padEnd(26) + value + '\n')
      .join(''),
  );
});

test('Using Source IP: a LoadBalancer with externalTrafficPolicy Local gets a health check node port', () => {
  const { k } = clusterInDir();
  k('create', 'deployment', 'source-ip-app', '--image=registry.k8s.io/echoserver:1.10');
  assert.equal(k('expose', 'deployment', 'source-ip-app', '--name=loadbalancer', '--port=80', '--target-port=8080', '--type=LoadBalancer').stdout, 'service/loadbalancer exposed\n');
  k('sim', 'advance', '20s');
  assert.match(k('get', 'svc', 'loadbalancer').stdout, /^loadbalancer   LoadBalancer   10\.\d+\.\d+\.\d+ +<pending>     80:3\d{4}\/TCP   20s\n$/m);
  assert.doesNotMatch(k('get', 'svc', 'loadbalancer', '-o', 'yaml').stdout, /healthCheckNodePort/);
  assert.equal(k('patch', 'svc', 'loadbalancer', '-p', '{"spec":{"externalTrafficPolicy":"Local"}}').stdout, 'service/loadbalancer patched\n');
  const grep = k('get', 'svc', 'loadbalancer', '-o', 'yaml').stdout.split('\n').filter((l) => /healthchecknodeport/i.test(l));
  assert.equal(grep.length, 1);
  const hc = /^ {2}healthCheckNodePort: (3\d{4})$/.exec(grep[0])?.[1] ?? '';
  assert.notEqual(hc, '');
  assert.match(k('describe', 'svc', 'loadbalancer').stdout, new RegExp(`^External Traffic Policy:  Local\nInternal Traffic Policy:  Cluster\nHealthCheck NodePort:     ${hc}\n`, 'm'));
  assert.match(k('get', 'pod', '-o', 'wide', '-l', 'app=source-ip-app').stdout, /source-ip-app-[a-z0-9]+-[a-z0-9]{5} +1\/1 +Running +0 +20s +10\.244\.0\.\d+ +minikube/);

  // kube-proxy's answer on the node (the node with the endpoint)...
  const healthz = k('sim', 'curl', '-i', '-s', `192.168.49.2:${hc}/healthz`).stdout;
  assert.equal(
    healthz,
    `HTTP/1.1 200 OK\r\nContent-Length: 123\r\nContent-Type: application/json\r\nDate: ${new Date(Date.parse(k('get', 'svc', 'loadbalancer', '-o', 'jsonpath={.metadata.creationTimestamp}').stdout) + 20_000).toUTCString()}\r\nX-Content-Type-Options: nosniff\r\nX-Load-Balancing-Endpoint-Weight: 1\r\n\r\n{\n\t"service": {\n\t\t"namespace": "default",\n\t\t"name": "loadbalancer"\n\t},\n\t"localEndpoints": 1,\n\t"serviceProxyHealthy": true\n}`,
  );
  // ...and once no endpoint is left on it.
  k('scale', 'deployment', 'source-ip-app', '--replicas=0');
  k('sim', 'advance', '40s');
  const none = k('sim', 'curl', '-s', '-w', '%{http_code}', `192.168.49.2:${hc}/healthz`).stdout;
  assert.match(none, /"localEndpoints": 0,/);
  assert.match(none, /}503$/);

  // Back to Cluster: the port is released.
  k('patch', 'svc', 'loadbalancer', '-p', '{"spec":{"externalTrafficPolicy":"Cluster"}}');
  assert.doesNotMatch(k('get', 'svc', 'loadbalancer', '-o', 'yaml').stdout, /healthCheckNodePort/);
  assert.equal(k('delete', 'svc', '-l', 'app=source-ip-app').stdout, 'service "loadbalancer" deleted\n');
});

interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  nodeName: string;
  targetRef: { kind: string; name: string; namespace: string; uid: string };
}

test('Explore Termination Behavior for Pods And Their Endpoints', () => {
  const { k } = clusterInDir();
  assert.equal(k('apply', '-f', 'https://k8s.io/examples/service/explore-graceful-termination-nginx.yaml').stdout, 'deployment.apps/nginx-deployment created\nservice/nginx-service created\n');
  k('sim', 'advance', '30s');
  const first = firstName(k, 'app=nginx');
  const firstIP = k('get', 'pod', first, '-o', 'jsonpath={.status.podIP}').stdout;
  const list = k('get', 'endpointslice').stdout;
  const slice = /^(nginx-service-[a-z0-9]{5}) /m.exec(list)?.[1] ?? '';
  assert.equal(list, `NAME                  ADDRESSTYPE   PORTS   ENDPOINTS      AGE\nkubernetes            IPv4          8443    192.168.49.2   90s\n${slice}   IPv4          80      ${firstIP}     30s\n`);

  const before = JSON.parse(k('get', 'endpointslices', '-o', 'json', '-l', 'kubernetes.io/service-name=nginx-service').stdout) as { items: { endpoints: SliceEndpoint[] }[] };
  assert.deepEqual(
    before.items[0].endpoints.map((e) => [e.addresses, e.conditions, e.targetRef.name]),
    [[[firstIP], { ready: true, serving: true, terminating: false }, first]],
  );

  assert.equal(k('delete', 'pod', first, '--wait=false').stdout, `pod "${first}" deleted\n`);
  k('sim', 'advance', '8s');
  const pods = k('get', 'pods').stdout.split('\n');
  const second = firstName(k, 'app=nginx') === first ? k('get', 'pods', '-l', 'app=nginx', '-o', 'jsonpath={.items[1].metadata.name}').stdout : firstName(k, 'app=nginx');
  assert.ok(pods.includes(`${first}   1/1     Terminating   0          38s`), pods.join('\n'));
  assert.ok(pods.includes(`${second}   1/1     Running       0          8s`), pods.join('\n'));

  // The old endpoint stays, terminating and still serving, beside the new one.
  const during = JSON.parse(k('get', 'endpointslice', '-o', 'json', slice).stdout) as { endpoints: SliceEndpoint[] };
  const secondIP = k('get', 'pod', second, '-o', 'jsonpath={.status.podIP}').stdout;
  assert.deepEqual(
    during.endpoints.map((e) => [e.addresses, e.conditions, e.nodeName, e.targetRef.kind, e.targetRef.name]),
    [
      [[firstIP], { ready: false, serving: true, terminating: true }, 'minikube', 'Pod', first],
      [[secondIP], { ready: true, serving: true, terminating: false }, 'minikube', 'Pod', second],
    ],
  );
  // nginx serves on through the preStop hook.
  assert.match(k('exec', second, '--', 'curl', '-s', `http://${firstIP}`).stdout, WELCOME);

  // The hook (sleep 180) outlives the 120 s grace period: the pod goes at
  // 120 s, SIGTERM then ending nginx within the 2 s the kubelet still gives.
  k('sim', 'advance', '110s');
  assert.match(k('get', 'pods').stdout, new RegExp(`^${first} +1/1 +Terminating `, 'm'));
  k('sim', 'advance', '5s');
  assert.doesNotMatch(k('get', 'pods').stdout, new RegExp(first));
  const after = JSON.parse(k('get', 'endpointslice', '-o', 'json', slice).stdout) as { endpoints: SliceEndpoint[] };
  assert.deepEqual(after.endpoints.map((e) => e.targetRef.name), [second]);
});

test('Storage object in use protection: a used claim and a bound volume stay Terminating', () => {
  const { k, dir } = clusterInDir();
  fs.writeFileSync(
    path.join(dir, 'hostpath.yaml'),
    [
      'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: example-hostpath\nprovisioner: example.com/hostpath\n',
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: hostpath\n  annotations:\n    volume.beta.kubernetes.io/storage-class: example-hostpath\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: user\nspec:\n  containers:\n  - name: c\n    image: busybox\n    command: [sleep, "3600"]\n    volumeMounts:\n    - {name: d, mountPath: /data}\n  volumes:\n  - name: d\n    persistentVolumeClaim:\n      claimName: hostpath\n',
    ].join('---\n'),
  );
  k('apply', '-f', 'hostpath.yaml');
  k('sim', 'advance', '10s');
  assert.equal(k('delete', 'pvc', 'hostpath', '--wait=false').stdout, 'persistentvolumeclaim "hostpath" deleted\n');
  k('sim', 'advance', '5s');
  const pvc = k('describe', 'pvc', 'hostpath').stdout;
  assert.equal(
    pvc.slice(0, pvc.indexOf('Capacity:')),
    'Name:          hostpath\nNamespace:     default\nStorageClass:  example-hostpath\nStatus:        Terminating (lasts 5s)\nVolume:        \nLabels:        <none>\nAnnotations:   volume.beta.kubernetes.io/storage-class: example-hostpath\n               volume.beta.kubernetes.io/storage-provisioner: example.com/hostpath\n               volume.kubernetes.io/storage-provisioner: example.com/hostpath\nFinalizers:    [kubernetes.io/pvc-protection]\n',
  );
  assert.match(pvc, /^Used By:       user$/m);
  assert.match(k('get', 'pvc').stdout, /^hostpath   Terminating +example-hostpath   <unset> +15s$/m);
  // Once the pod is gone, the claim goes.
  k('delete', 'pod', 'user', '--wait=false');
  k('sim', 'advance', '40s');
  assert.equal(k('get', 'pvc').stderr, 'No resources found in default namespace.\n');

  fs.writeFileSync(
    path.join(dir, 'task-pv.yaml'),
    'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: task-pv-volume\n  labels:\n    type: local\nspec:\n  storageClassName: manual\n  capacity:\n    storage: 10Gi\n  accessModes:\n    - ReadWriteOnce\n  hostPath:\n    path: "/mnt/data"\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: task-pv-claim\nspec:\n  storageClassName: manual\n  accessModes:\n    - ReadWriteOnce\n  resources:\n    requests:\n      storage: 3Gi\n',
  );
  k('apply', '-f', 'task-pv.yaml');
  k('sim', 'advance', '5s');
  assert.match(k('get', 'pv', 'task-pv-volume').stdout, /Bound +default\/task-pv-claim/);
  assert.equal(k('delete', 'pv', 'task-pv-volume', '--wait=false').stdout, 'persistentvolume "task-pv-volume" deleted\n');
  const pv = k('describe', 'pv', 'task-pv-volume').stdout;
  assert.equal(
    pv.slice(0, pv.indexOf('Reclaim Policy:')),
    'Name:            task-pv-volume\nLabels:          type=local\nAnnotations:     pv.kubernetes.io/bound-by-controller: yes\nFinalizers:      [kubernetes.io/pv-protection]\nStorageClass:    manual\nStatus:          Terminating (lasts 0s)\nClaim:           default/task-pv-claim\n',
  );
  // Released with its claim, the volume goes.
  k('delete', 'pvc', 'task-pv-claim');
  assert.equal(k('get', 'pv').stderr, 'No resources found\n');
});

test('a preStop hook that fails: the kubelet reports it and sends SIGTERM at once', () => {
  const { k, dir } = clusterInDir();
  fs.writeFileSync(
    path.join(dir, 'hook.yaml'),
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: hook\nspec:\n  containers:\n  - name: nginx\n    image: nginx\n    lifecycle:\n      preStop:\n        exec:\n          command: ["/bin/sh", "-c", "echo bye; exit 3"]\n',
  );
  k('apply', '-f', 'hook.yaml');
  k('sim', 'advance', '20s');
  const uid = k('get', 'pod', 'hook', '-o', 'jsonpath={.metadata.uid}').stdout;
  k('delete', 'pod', 'hook', '--wait=false');
  k('sim', 'advance', '1s');
  assert.equal(k('get', 'pods').stderr, 'No resources found in default namespace.\n');
  const events = JSON.parse(k('get', 'events', '-o', 'json', '--field-selector', 'reason=FailedPreStopHook').stdout) as { items: { message: string }[] };
  assert.deepEqual(
    events.items.map((e) => e.message),
    [`Exec lifecycle hook ([/bin/sh -c echo bye; exit 3]) for Container "nginx" in Pod "hook_default(${uid})" failed - error: command '/bin/sh -c echo bye; exit 3' exited with 3: bye\n, message: "bye\\n"`],
  );
});
