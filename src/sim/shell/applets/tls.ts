import { X509Certificate } from 'node:crypto';

// What a TLS client (curl with OpenSSL) makes of the certificate an https
// server presented: the chain must end in one of its trust anchors (the
// --cacert file; the system store trusts no cluster-made certificate), be
// valid at the simulated instant, and name the host the URL names. The
// certificates are only parsed and checked here, as data.

export interface PeerCheck {
  // The server's PEM (leaf first); the client's anchors (PEM, undefined = the
  // system store); the URL's host; the simulated instant.
  presented: string;
  anchors: string | undefined;
  host: string;
  at: number;
}

function certificates(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  const out: X509Certificate[] = [];
  for (const b of blocks) {
    try {
      out.push(new X509Certificate(b));
    } catch {
      // A block OpenSSL would not load either: skipped.
    }
  }
  return out;
}

function isIP(host: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':');
}

// undefined when the peer is trusted, else OpenSSL's and curl's words for
// why not (curl exits 60 with them).
export function verifyPeer(p: PeerCheck): string | undefined {
  const [leaf] = certificates(p.presented);
  if (!leaf) return 'SSL certificate problem: unable to get local issuer certificate';
  const anchors = p.anchors === undefined ? [] : certificates(p.anchors);
  const trusted = anchors.some((a) => a.raw.equals(leaf.raw) || (leaf.checkIssued(a) && leaf.verify(a.publicKey)));
  if (!trusted) return leaf.subject === leaf.issuer ? 'SSL certificate problem: self-signed certificate' : 'SSL certificate problem: unable to get local issuer certificate';
  if (Date.parse(leaf.validTo) < p.at) return 'SSL certificate problem: certificate has expired';
  if (Date.parse(leaf.validFrom) > p.at) return 'SSL certificate problem: certificate is not yet valid';
  // Subject alternative names rule when present; else the subject's CN.
  const sans = (leaf.subjectAltName ?? '').split(', ').filter((s) => /^(DNS|IP Address):/.test(s));
  const matched = isIP(p.host) ? leaf.checkIP(p.host) : leaf.checkHost(p.host);
  if (matched !== undefined) return undefined;
  if (sans.length > 0) return `SSL: no alternative certificate subject name matches target ${isIP(p.host) ? 'ipv4 address' : 'host name'} '${p.host}'`;
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(leaf.subject)?.[1] ?? '';
  return `SSL: certificate subject name '${cn}' does not match target host name '${p.host}'`;
}
