import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { CliError } from '../../errors';
import { enforcedNamespace, generator } from './common';
import { SecretData, secretObject } from './secret';
import { pathError } from './sources';

// kubectl create secret tls NAME --cert=path/to/cert/file --key=path/to/key/file [--append-hash]

interface PemBlock {
  type: string;
  body: string;
}

function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(/-----BEGIN ([^\n-]*)-----\r?\n([\s\S]*?)-----END \1-----/g)) out.push({ type: m[1], body: m[0] });
  return out;
}

// crypto/tls.X509KeyPair's checks, with its messages: a certificate and a private key
// in PEM, the key matching the certificate's public key.
export function checkKeyPair(certPem: string, keyPem: string): void {
  const fail = (msg: string): never => {
    throw new CliError(`error: ${msg}`);
  };
  const certBlocks = pemBlocks(certPem);
  const certs = certBlocks.filter((b) => b.type === 'CERTIFICATE');
  if (certs.length === 0) {
    const skipped = certBlocks.map((b) => b.type);
    if (skipped.length === 0) fail('tls: failed to find any PEM data in certificate input');
    if (skipped.length === 1 && skipped[0].endsWith('PRIVATE KEY')) {
      fail('tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched');
    }
    fail(`tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [${skipped.join(' ')}]`);
  }
  const skipped: string[] = [];
  let keyBlock: PemBlock | undefined;
  for (const b of pemBlocks(keyPem)) {
    if (b.type === 'PRIVATE KEY' || b.type.endsWith(' PRIVATE KEY')) {
      keyBlock = b;
      break;
    }
    skipped.push(b.type);
  }
  if (!keyBlock) {
    if (skipped.length === 0) fail('tls: failed to find any PEM data in key input');
    if (skipped.length === 1 && skipped[0] === 'CERTIFICATE') fail('tls: found a certificate rather than a key in the PEM for the private key');
    fail(`tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [${skipped.join(' ')}]`);
  }
  let cert: crypto.X509Certificate;
  try {
    cert = new crypto.X509Certificate(certs[0].body);
  } catch {
    return fail('x509: malformed certificate');
  }
  let key: crypto.KeyObject;
  try {
    key = crypto.createPrivateKey(keyBlock!.body);
  } catch {
    return fail('tls: failed to parse private key');
  }
  const pub = cert.publicKey;
  if (pub.asymmetricKeyType !== key.asymmetricKeyType) fail('tls: private key type does not match public key type');
  const der = (k: crypto.KeyObject) => k.export({ type: 'spki', format: 'der' });
  if (!der(pub).equals(der(crypto.createPublicKey(key)))) fail('tls: private key does not match public key');
}

function readPemFile(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new CliError(`error: Cannot read file ${file}, ${pathError((e as NodeJS.ErrnoException).code === 'EISDIR' ? 'read' : 'open', file, e)}`);
  }
}

export const command = generator({
  flags: [
    { name: 'cert', kind: 'string' },
    { name: 'key', kind: 'string' },
    { name: 'append-hash', kind: 'bool' },
  ],
  errorPrefix: 'failed to create secret ',
  build(ctx, name) {
    const certFile = ctx.flags.str('cert');
    const keyFile = ctx.flags.str('key');
    if (keyFile === '' || certFile === '') throw new CliError('error: key and cert must be specified');
    const cert = readPemFile(certFile);
    const key = readPemFile(keyFile);
    checkKeyPair(cert.toString('latin1'), key.toString('latin1'));
    const data = new SecretData();
    data.add('tls.crt', cert);
    data.add('tls.key', key);
    return secretObject(ctx, name, enforcedNamespace(ctx), 'kubernetes.io/tls', data);
  },
});
