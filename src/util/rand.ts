import { randomBytes } from 'node:crypto';

// The one source of randomness in kubemu. Its state lives in the cluster state,
// so KUBEMU_SEED=<n> on a fresh home replays the same uids, suffixes, IPs and ports.

export interface RngState {
  s: [number, number, number, number];
}

// Kubernetes' alphabet for generated names (apimachinery util/rand): no vowels, no 0/1/3.
export const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function splitmix32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x9e3779b9) >>> 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function newRngState(seed?: number): RngState {
  const base = seed ?? randomBytes(4).readUInt32LE(0);
  const next = splitmix32(base);
  return { s: [next(), next(), next(), next()] };
}

export function seedFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.KUBEMU_SEED;
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (Number.isInteger(n)) return n >>> 0;
  // Any other text seeds by its hash, so KUBEMU_SEED=demo works too.
  let h = 2166136261;
  for (const ch of raw) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
}

// xoshiro128** over a state object that is persisted with the cluster.
export class Rng {
  constructor(private readonly st: RngState) {}

  uint32(): number {
    const s = this.st.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] = (s[2] ^ s[0]) >>> 0;
    s[3] = (s[3] ^ s[1]) >>> 0;
    s[1] = (s[1] ^ s[2]) >>> 0;
    s[0] = (s[0] ^ s[3]) >>> 0;
    s[2] = (s[2] ^ t) >>> 0;
    s[3] = rotl(s[3], 11);
    return result;
  }

  // Uniform integer in [0, n).
  int(n: number): number {
    return Math.floor((this.uint32() / 4294967296) * n);
  }

  // Five characters from Kubernetes' alphabet, as generateName appends.
  suffix(length = 5): string {
    let out = '';
    for (let i = 0; i < length; i++) out += NAME_ALPHABET[this.int(NAME_ALPHABET.length)];
    return out;
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) out += this.uint32().toString(16).padStart(8, '0');
    return out.slice(0, length);
  }

  // An RFC 4122 version-4 UUID.
  uuid(): string {
    const h = this.hex(32).split('');
    h[12] = '4';
    h[16] = '89ab'[parseInt(h[16], 16) & 3];
    const s = h.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
