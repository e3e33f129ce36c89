import * as fs from 'node:fs';
import * as path from 'node:path';

// kubemu's own kubeconfig, in $KUBEMU_HOME/kubeconfig, shaped like the one
// minikube writes. ~/.kube/config is never touched.

export interface Kubeconfig {
  file: string;
  raw: KubeconfigDoc;
  currentContext: string;
  namespace: string;
}

export interface KubeconfigDoc {
  apiVersion: string;
  kind: string;
  clusters?: { name: string; cluster: Record<string, unknown> }[];
  contexts?: { name: string; context: { cluster?: string; user?: string; namespace?: string; extensions?: unknown } }[];
  'current-context'?: string;
  preferences?: Record<string, unknown>;
  users?: { name: string; user: Record<string, unknown> }[];
}

export function kubeconfigPath(home: string): string {
  return path.join(home, 'kubeconfig');
}

export function minikubeKubeconfig(home: string, name: string, serverIP: string, minikubeVersion: string, lastUpdate: string): KubeconfigDoc {
  const ext = (extName: string) => [
    { extension: { 'last-update': lastUpdate, provider: 'minikube.sigs.k8s.io', version: minikubeVersion }, name: extName },
  ];
  const mk = path.join(home, 'minikube');
  return {
    apiVersion: 'v1',
    clusters: [
      {
        cluster: { 'certificate-authority': path.join(mk, 'ca.crt'), extensions: ext('cluster_info'), server: `https://${serverIP}:8443` },
        name,
      },
    ],
    contexts: [{ context: { cluster: name, extensions: ext('context_info'), namespace: 'default', user: name }, name }],
    'current-context': name,
    kind: 'Config',
    preferences: {},
    users: [
      {
        name,
        user: {
          'client-certificate': path.join(mk, 'profiles', name, 'client.crt'),
          'client-key': path.join(mk, 'profiles', name, 'client.key'),
        },
      },
    ],
  };
}

// What `kind create cluster` writes: cluster, context and user kind-<name>,
// credentials inline.
export function kindKubeconfig(name: string, port: number, certificate: string): KubeconfigDoc {
  const id = `kind-${name}`;
  const data = Buffer.from(certificate).toString('base64');
  return {
    apiVersion: 'v1',
    clusters: [{ cluster: { 'certificate-authority-data': data, server: `https://127.0.0.1:${port}` }, name: id }],
    contexts: [{ context: { cluster: id, user: id }, name: id }],
    'current-context': id,
    kind: 'Config',
    preferences: {},
    users: [{ name: id, user: { 'client-certificate-data': data, 'client-key-data': data } }],
  };
}

export function writeKubeconfig(home: string, doc: KubeconfigDoc): void {
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  writeKubeconfigFile(kubeconfigPath(home), doc);
}

// Any kubeconfig file (kubemu's own, or one named by --kubeconfig), replaced whole.
export function writeKubeconfigFile(file: string, doc: KubeconfigDoc): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const { stringify } = require('yaml') as typeof import('yaml');
  fs.writeFileSync(tmp, stringify(doc), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

// Every command reads the kubeconfig for its namespace; parsing YAML costs more
// than the rest of a `get`, so the parsed form is cached beside it, keyed by
// the file's size and mtime (an edit by hand invalidates it).
function parseCached(file: string): KubeconfigDoc | undefined {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return undefined;
  }
  const stamp = `${st.size}:${st.mtimeMs}`;
  const cacheFile = `${file}.cache.json`;
  try {
    const cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as { stamp: string; doc: KubeconfigDoc };
    if (cached.stamp === stamp) return cached.doc;
  } catch {
    // no cache yet
  }
  const { parse } = require('yaml') as typeof import('yaml');
  const doc = parse(fs.readFileSync(file, 'utf8')) as KubeconfigDoc;
  try {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ stamp, doc }), { mode: 0o600 });
    fs.renameSync(tmp, cacheFile);
  } catch {
    // a read-only home still works, just slower
  }
  return doc;
}

export function readKubeconfig(home: string): Kubeconfig {
  return kubeconfigOf(kubeconfigPath(home), parseCached(kubeconfigPath(home)));
}

// A user's kubeconfig (--kubeconfig): parsed each time, since no
// cache file may be left beside it.
export function readKubeconfigFile(file: string): Kubeconfig {
  let text: string | undefined;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const { parse } = require('yaml') as typeof import('yaml');
  return kubeconfigOf(file, text === undefined ? undefined : ((parse(text) as KubeconfigDoc | null) ?? undefined));
}

function kubeconfigOf(file: string, doc: KubeconfigDoc | undefined): Kubeconfig {
  const raw: KubeconfigDoc = doc ?? { apiVersion: 'v1', kind: 'Config' };
  const currentContext = raw['current-context'] ?? '';
  const ctx = raw.contexts?.find((c) => c.name === currentContext);
  return { file, raw, currentContext, namespace: ctx?.context.namespace ?? '' };
}
