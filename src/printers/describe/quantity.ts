import { Quantity, tryParseQuantity } from '../../util/quantity';

// What describe needs of resource.Quantity beyond parsing and String():
// exact sums (a node's allocated resources add every pod's requests, in the
// format of the first operand), and MilliValue/Value for the percentages.

export { Quantity };

export const ZERO = new Quantity(0n, 0, 'DecimalSI');

// A quantity as written in an object (YAML may have left a number).
export function parseQ(raw: unknown): Quantity | undefined {
  if (typeof raw === 'number') return tryParseQuantity(String(raw));
  return typeof raw === 'string' ? tryParseQuantity(raw) : undefined;
}

// Quantity.Add: exact, keeping the receiver's format.
export function addQ(a: Quantity, b: Quantity): Quantity {
  const exp = Math.min(a.exp, b.exp);
  const mantissa = a.mantissa * 10n ** BigInt(a.exp - exp) + b.mantissa * 10n ** BigInt(b.exp - exp);
  return new Quantity(mantissa, exp, a.format);
}

// The value at 10^scale, rounded away from zero (ScaledValue).
function scaled(q: Quantity, scale: number): number {
  const shift = q.exp - scale;
  if (shift >= 0) return Number(q.mantissa * 10n ** BigInt(shift));
  const div = 10n ** BigInt(-shift);
  const quotient = q.mantissa / div;
  if (q.mantissa % div === 0n) return Number(quotient);
  return Number(q.mantissa < 0n ? quotient - 1n : quotient + 1n);
}

export function milliValue(q: Quantity): number {
  return scaled(q, -3);
}

export function value(q: Quantity): number {
  return scaled(q, 0);
}

// A ResourceList (name -> quantity text) as Quantities; unparsable entries are skipped.
export type Resources = Map<string, Quantity>;

export function resourceList(list: Record<string, unknown> | undefined | null): Resources {
  const out: Resources = new Map();
  for (const [name, raw] of Object.entries(list ?? {})) {
    const q = parseQ(raw);
    if (q) out.set(name, q);
  }
  return out;
}

// addResourceList: sums into `into`, keeping the format of what was there first.
export function addResources(into: Resources, add: Resources): void {
  for (const [name, q] of add) {
    const cur = into.get(name);
    into.set(name, cur ? addQ(cur, q) : q);
  }
}

// maxResourceList: the larger of the two per resource.
export function maxResources(into: Resources, other: Resources): void {
  for (const [name, q] of other) {
    const cur = into.get(name);
    if (!cur || q.cmp(cur) > 0) into.set(name, q);
  }
}

// Quantity.String() of a quantity as written in an object; the raw text if it
// does not parse, and `0` for a missing one (Go's zero Quantity).
export function quantityString(raw: unknown): string {
  const q = parseQ(raw);
  if (q) return q.toString();
  return raw === undefined || raw === null ? '0' : String(raw);
}
