import type { ConfigMap, Secret, ServiceAccount } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../api/types';
import { kind } from '../../api/registry';
import { LEVEL_0, tabbed } from './engine';
import type { DescribeContext } from './common';
import { eventRef, printHeader, writeEvents } from './common';

// ConfigMap, Secret and ServiceAccount. kubectl 1.32 walks the data maps in
// Go's random map order; keys are printed sorted here (as later kubectl does).

function decodedLength(base64: string): number {
  return Buffer.from(base64, 'base64').length;
}

export function describeConfigMap(obj: KubeObject, ctx: DescribeContext): string {
  const cm = obj as unknown as ConfigMap;
  return tabbed((w) => {
    printHeader(w, obj);
    w.write(LEVEL_0, '\nData\n====\n');
    for (const key of Object.keys(cm.data ?? {}).sort()) {
      w.write(LEVEL_0, `${key}:\n----\n`);
      w.write(LEVEL_0, `${cm.data![key]}\n`);
      w.write(LEVEL_0, '\n');
    }
    w.write(LEVEL_0, '\nBinaryData\n====\n');
    for (const key of Object.keys(cm.binaryData ?? {}).sort()) {
      w.write(LEVEL_0, `${key}: ${decodedLength(cm.binaryData![key])} bytes\n`);
    }
    w.write(LEVEL_0, '\n');
    writeEvents(w, ctx, eventRef(obj));
  });
}

export function describeSecret(obj: KubeObject): string {
  const secret = obj as unknown as Secret;
  return tabbed((w) => {
    printHeader(w, obj);
    w.write(LEVEL_0, `\nType:\t${secret.type ?? ''}\n`);
    w.write(LEVEL_0, '\nData\n====\n');
    for (const key of Object.keys(secret.data ?? {}).sort()) {
      const value = secret.data![key];
      // A service account token is shown; everything else only by size.
      if (key === 'token' && secret.type === 'kubernetes.io/service-account-token') {
        w.write(LEVEL_0, `${key}:\t${Buffer.from(value, 'base64').toString('utf8')}\n`);
      } else {
        w.write(LEVEL_0, `${key}:\t${decodedLength(value)} bytes\n`);
      }
    }
  });
}

const PULL_HEADER = 'Image pull secrets:';
const MOUNT_HEADER = 'Mountable secrets: ';
const TOKEN_HEADER = 'Tokens:            ';
const EMPTY_HEADER = '                   ';

export function describeServiceAccount(obj: KubeObject, ctx: DescribeContext): string {
  const sa = obj as unknown as ServiceAccount;
  const secrets = ctx.api.peekList(kind('Secret'), { namespace: obj.metadata.namespace }) as unknown as Secret[];
  const existing = new Set(secrets.map((s) => s.metadata?.name));
  // Legacy token secrets that belong to this account (by name and uid annotations).
  const tokens = secrets.filter(
    (s) =>
      s.type === 'kubernetes.io/service-account-token' &&
      s.metadata?.annotations?.['kubernetes.io/service-account.name'] === obj.metadata.name &&
      s.metadata?.annotations?.['kubernetes.io/service-account.uid'] === obj.metadata.uid,
  );
  const referenced = [...(sa.secrets ?? []), ...(sa.imagePullSecrets ?? [])].map((r) => r.name ?? '');
  const missing = new Set(referenced.filter((n) => !existing.has(n)));
  const sections: [string, string[]][] = [
    [PULL_HEADER, (sa.imagePullSecrets ?? []).map((s) => s.name ?? '')],
    [MOUNT_HEADER, (sa.secrets ?? []).map((s) => s.name ?? '')],
    [TOKEN_HEADER, tokens.map((s) => s.metadata?.name ?? '')],
  ];
  return tabbed((w) => {
    printHeader(w, obj);
    for (const [title, names] of sections) {
      if (names.length === 0) {
        w.write(LEVEL_0, `${title}\t<none>\n`);
        continue;
      }
      names.forEach((name, i) => {
        w.write(LEVEL_0, `${i === 0 ? title : EMPTY_HEADER}\t${name}${missing.has(name) ? ' (not found)' : ''}\n`);
      });
    }
    writeEvents(w, ctx, eventRef(obj));
  });
}
