// Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource,
// as in kubectl 1.32): parsing, exact comparison and the canonical form the
// API server writes back ("0.5" -> "500m", "1024Mi" -> "1Gi").

export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

const SPLIT_RE = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';

export const ERR_FORMAT_WRONG = `quantities must match the regular expression '${SPLIT_RE}'`;
export const ERR_NUMERIC = 'unable to parse numeric part of quantity';
export const ERR_SUFFIX = "unable to parse quantity's suffix";

export class QuantityParseError extends Error {}

const MAX_INT64 = 2n ** 63n - 1n;

// A parsed quantity: mantissa × 10^exp, exactly.
export class Quantity {
  constructor(
    readonly mantissa: bigint,
    readonly exp: number,
    readonly format: QuantityFormat,
    // The input, kept when it already was in canonical form (as Go does).
    private readonly original?: string,
  ) {}

  sign(): number {
    return this.mantissa > 0n ? 1 : this.mantissa < 0n ? -1 : 0;
  }

  isZero(): boolean {
    return this.mantissa === 0n;
  }

  // -1, 0 or 1, as Quantity.Cmp.
  cmp(other: Quantity): number {
    const sa = this.sign();
    const sb = other.sign();
    if (sa !== sb) return sa < sb ? -1 : 1;
    if (sa === 0) return 0;
    // Orders of magnitude first, so that huge exponents need no huge powers.
    const oa = digits(this.mantissa) + this.exp;
    const ob = digits(other.mantissa) + other.exp;
    if (oa !== ob) return (oa < ob ? -1 : 1) * sa;
    const e = Math.min(this.exp, other.exp);
    const a = this.mantissa * 10n ** BigInt(this.exp - e);
    const b = other.mantissa * 10n ** BigInt(other.exp - e);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  // AsApproximateFloat64.
  toNumber(): number {
    return Number(this.mantissa) * 10 ** this.exp;
  }

  // Quantity.String: the canonical form.
  toString(): string {
    if (this.original !== undefined) return this.original;
    return canonicalize(this);
  }
}

const DEC_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BIN_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

function digits(v: bigint): number {
  return (v < 0n ? -v : v).toString().length;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

interface Parts {
  positive: boolean;
  value: string;
  num: string;
  denom: string;
  suffix: string;
}

// parseQuantityString: splits sign, numerator, denominator and suffix.
function splitQuantity(str: string): Parts {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (pos < end && (str[0] === '-' || str[0] === '+')) {
    positive = str[0] !== '-';
    pos++;
  }
  // Leading zeros.
  for (;;) {
    if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
    if (str[pos] !== '0') break;
    pos++;
  }
  let num: string;
  let i = pos;
  for (;;) {
    if (i >= end) return { positive, value: str, num: str.slice(pos), denom: '', suffix: '' };
    if (!isDigit(str[i])) break;
    i++;
  }
  num = str.slice(pos, i);
  pos = i;
  if (num.length === 0) num = '0';
  let denom = '';
  if (pos < end && str[pos] === '.') {
    pos++;
    i = pos;
    for (;;) {
      if (i >= end) return { positive, value: str, num, denom: str.slice(pos), suffix: '' };
      if (!isDigit(str[i])) break;
      i++;
    }
    denom = str.slice(pos, i);
    pos = i;
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  for (i = pos; ; i++) {
    if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
    if (!'eEinumkKMGTP'.includes(str[i])) {
      pos = i;
      break;
    }
  }
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  for (i = pos; ; i++) {
    if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
    if (!isDigit(str[i])) break;
  }
  throw new QuantityParseError(ERR_FORMAT_WRONG);
}

// int32(x) of an int64 exponent, wrapping as Go's conversion does.
function toInt32(x: bigint): number {
  const m = BigInt.asIntN(32, x);
  return Number(m);
}

function interpretSuffix(s: string): { base: 2 | 10; exponent: number; format: QuantityFormat } {
  if (s in DEC_SUFFIXES) return { base: 10, exponent: DEC_SUFFIXES[s], format: 'DecimalSI' };
  if (s in BIN_SUFFIXES) return { base: 2, exponent: BIN_SUFFIXES[s], format: 'BinarySI' };
  if (s.length > 1 && (s[0] === 'E' || s[0] === 'e')) {
    const digits = s.slice(1);
    if (/^[+-]?\d+$/.test(digits)) {
      const v = BigInt(digits);
      if (v >= -(2n ** 63n) && v <= MAX_INT64) return { base: 10, exponent: toInt32(v), format: 'DecimalExponent' };
    }
  }
  throw new QuantityParseError(ERR_SUFFIX);
}

// ParseQuantity; throws QuantityParseError with apimachinery's messages.
export function parseQuantityStrict(str: string): Quantity {
  if (str.length === 0) throw new QuantityParseError(ERR_FORMAT_WRONG);
  if (str === '0') return new Quantity(0n, 0, 'DecimalSI', '0');
  const { positive, value, num, denom, suffix } = splitQuantity(str);
  const { base, exponent, format } = interpretSuffix(suffix);

  // The fast path (int64 arithmetic): keeps the input as the string form when
  // it is already canonical.
  let precision: number;
  let scale = 0;
  let mantissa = 1n;
  if (format === 'BinarySI') {
    if (exponent >= 0 && denom.length === 0) {
      mantissa = 1n << BigInt(exponent);
      precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
    } else {
      precision = -1;
    }
  } else {
    scale = exponent;
    precision = 18 - (num.length + denom.length);
  }
  if (precision >= 0) {
    scale -= denom.length;
    if (scale >= -9) {
      const shifted = num + denom;
      const v = BigInt(shifted);
      if (v > MAX_INT64) throw new QuantityParseError(ERR_NUMERIC);
      const result = v * mantissa;
      if (result <= MAX_INT64) {
        const signed = positive ? result : -result;
        const canonical =
          format === 'BinarySI'
            ? exponent % 10 === 0 && (v & 7n) !== 0n
            : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
        return new Quantity(signed, scale, format, canonical ? str : undefined);
      }
    }
  }

  // The slow path (arbitrary precision).
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(value);
  if (!m || (m[2] + (m[3] ?? '')).length === 0) throw new QuantityParseError(ERR_NUMERIC);
  let unscaled = BigInt(m[2] + (m[3] ?? '') || '0');
  let exp = -(m[3] ?? '').length;
  if (base === 10) exp += exponent;
  else unscaled *= 2n ** BigInt(exponent);
  // Round the magnitude up to nano units: asking for some resource yields some.
  if (unscaled !== 0n && exp < -9) {
    if (digits(unscaled) <= -9 - exp) {
      unscaled = 1n;
    } else {
      const div = 10n ** BigInt(-9 - exp);
      const q = unscaled / div;
      unscaled = unscaled % div === 0n ? q : q + 1n;
    }
    exp = -9;
  }
  let fmt = format;
  if (fmt === 'BinarySI') {
    const cap = new Quantity(MAX_INT64, 0, fmt);
    if (new Quantity(unscaled, exp, fmt).cmp(cap) > 0) {
      unscaled = MAX_INT64;
      exp = 0;
    }
    const q = new Quantity(unscaled, exp, fmt);
    if (q.cmp(new Quantity(1n, 0, fmt)) < 0 && unscaled > 0n) fmt = 'DecimalSI';
  }
  if (m[1] === '-') unscaled = -unscaled;
  return new Quantity(unscaled, exp, fmt);
}

// The quantity, or undefined when it does not parse.
export function tryParseQuantity(str: string): Quantity | undefined {
  try {
    return parseQuantityStrict(str);
  } catch (e) {
    if (e instanceof QuantityParseError) return undefined;
    throw e;
  }
}

// Approximate numeric value of a quantity (for comparisons and validation),
// or undefined when it does not parse.
export function parseQuantity(str: string): number | undefined {
  return tryParseQuantity(str)?.toNumber();
}

// The canonical form the API server writes (Quantity.String); throws
// QuantityParseError for an invalid quantity.
export function formatQuantity(str: string): string {
  return parseQuantityStrict(str).toString();
}

// Removes factors of `base` from a non-zero mantissa.
function removeFactors(v: bigint, base: bigint): [bigint, number] {
  let times = 0;
  while (v !== 0n && v % base === 0n) {
    v /= base;
    times++;
  }
  return [v, times];
}

const DEC_SUFFIX_BY_EXP = new Map(Object.entries(DEC_SUFFIXES).map(([s, e]) => [e, s]));
const BIN_SUFFIX_BY_EXP = new Map(Object.entries(BIN_SUFFIXES).map(([s, e]) => [e, s]));

// CanonicalizeBytes.
function canonicalize(q: Quantity): string {
  if (q.isZero()) return '0';
  let format = q.format;
  let rounded = q.mantissa;
  if (format === 'BinarySI') {
    if (q.cmp(new Quantity(-1024n, 0, format)) > 0 && q.cmp(new Quantity(1024n, 0, format)) < 0) {
      format = 'DecimalSI';
    } else if (q.exp < 0) {
      // AsScale(0): round away from zero to an integer; inexact shows as decimal.
      const div = 10n ** BigInt(-q.exp);
      const abs = q.mantissa < 0n ? -q.mantissa : q.mantissa;
      if (abs % div !== 0n) format = 'DecimalSI';
      else rounded = q.mantissa / div;
    } else {
      rounded = q.mantissa * 10n ** BigInt(q.exp);
    }
  }
  if (format === 'BinarySI') {
    const [amount, times] = removeFactors(rounded, 1024n);
    return `${amount}${BIN_SUFFIX_BY_EXP.get(times * 10) ?? ''}`;
  }
  let [amount, times] = removeFactors(q.mantissa, 10n);
  let exponent = q.exp + times;
  while (((exponent % 3) + 3) % 3 !== 0) {
    amount *= 10n;
    exponent--;
  }
  if (format === 'DecimalExponent') return exponent === 0 ? `${amount}` : `${amount}e${exponent}`;
  // Exponents outside n..E have no suffix; Go prints the bare mantissa.
  return `${amount}${DEC_SUFFIX_BY_EXP.get(exponent) ?? ''}`;
}
