// kubectl get --sort-by=<jsonpath> (k8s.io/kubectl/pkg/cmd/get/sorter.go).
// kubectl sorts with Go's sort.Sort, which is not stable, and with a
// comparator that is not a strict order (an object lacking the field is
// "less" than anything, itself included), so the order of ties and of
// objects without the field depends on the algorithm: it is reproduced here.

import { relaxedJsonPathExpression } from './custom-columns';
import {
  compareGoStrings,
  findJsonPathResults,
  GoFloat,
  GoInt,
  goQuote,
  goSyntax,
  goTypeName,
  GoValue,
  JsonPathExecError,
  JsonPathParseError,
  JsonPathTemplate,
  KubectlTemplateError,
  parseJsonPath,
  toGo,
} from './jsonpath';
import { Quantity, tryParseQuantity } from '../util/quantity';

// A sort failure as kubectl reports it. With `klog` set, kubectl does not
// return an error but logs through klog and exits: it prints
// "F<MMDD HH:MM:SS.uuuuuu> <pid> sorter.go:<line>] <message>" to stderr and
// exits with `klog.exitCode`.
export class SortError extends KubectlTemplateError {
  constructor(
    message: string,
    readonly klog?: { line: number; exitCode: number },
  ) {
    super(message);
  }
}

export interface SortOptions {
  // Sort the rows of a server-side Table (kubectl's default output) rather
  // than the items of a list (-o json|yaml|name|custom-columns|...). With a
  // table, at most one row is never sorted (nor checked), a path that is not
  // relaxed JSONPath is used as written, and parse errors read "sorting
  // error: ...". kubectl ignores every non-klog error from a table sort: it
  // prints nothing for that table (and "No resources found" if nothing else
  // was printed) and exits 0.
  table?: boolean;
}

type Val = GoValue | undefined;

class Unsortable extends Error {}

// isLess on two values found in unstructured objects (interface{} values).
// `quantity` parses a string as a quantity (memoized by the caller).
function isLess(i: Val, j: Val, quantity: (s: string) => Quantity | undefined): boolean {
  if (i === undefined || j === undefined) throw new Unsortable('unsortable type: invalid');
  if (i === null && j === null) return false;
  if (i === null) return true;
  if (j === null) return false;
  if (i instanceof GoInt && i.type === 'int64') {
    if (j instanceof GoInt && j.type === 'int64') return i.value < j.value;
  } else if (i instanceof GoInt) {
    if (j instanceof GoInt && j.type === i.type) return i.value < j.value;
  } else if (i instanceof GoFloat) {
    if (j instanceof GoFloat) return i.value < j.value;
  } else if (typeof i === 'string') {
    if (typeof j === 'string') {
      // Two quantities compare by amount ("9" < "10", "100Mi" < "1Gi").
      const qi = quantity(i);
      const qj = qi && quantity(j);
      if (qi && qj) return qi.cmp(qj) < 0;
      return compareGoStrings(i, j) < 0;
    }
  } else {
    throw new Unsortable(`unsortable type: ${goTypeName(i)}`);
  }
  throw new Unsortable('unsortable interface: interface');
}

// Go's sort.Sort (pattern-defeating quicksort, Go 1.19 and later) over
// positions 0..n-1, with Less and Swap supplied by the caller.
export interface SortData {
  less(i: number, j: number): boolean;
  swap(i: number, j: number): void;
}

const MASK64 = (1n << 64n) - 1n;

function bitsLen(n: number): number {
  return n === 0 ? 0 : Math.floor(Math.log2(n)) + 1;
}

function insertionSort(d: SortData, a: number, b: number): void {
  for (let i = a + 1; i < b; i++) for (let j = i; j > a && d.less(j, j - 1); j--) d.swap(j, j - 1);
}

function siftDown(d: SortData, lo: number, hi: number, first: number): void {
  let root = lo;
  for (;;) {
    let child = 2 * root + 1;
    if (child >= hi) return;
    if (child + 1 < hi && d.less(first + child, first + child + 1)) child++;
    if (!d.less(first + root, first + child)) return;
    d.swap(first + root, first + child);
    root = child;
  }
}

function heapSort(d: SortData, a: number, b: number): void {
  const first = a;
  const hi = b - a;
  for (let i = Math.trunc((hi - 1) / 2); i >= 0; i--) siftDown(d, i, hi, first);
  for (let i = hi - 1; i >= 0; i--) {
    d.swap(first, first + i);
    siftDown(d, 0, i, first);
  }
}

const enum Hint {
  Unknown,
  Increasing,
  Decreasing,
}

function pdqsort(d: SortData, a: number, b: number, limit: number): void {
  const maxInsertion = 12;
  let wasBalanced = true;
  let wasPartitioned = true;
  for (;;) {
    const length = b - a;
    if (length <= maxInsertion) {
      insertionSort(d, a, b);
      return;
    }
    if (limit === 0) {
      heapSort(d, a, b);
      return;
    }
    if (!wasBalanced) {
      breakPatterns(d, a, b);
      limit--;
    }
    let [pivot, hint] = choosePivot(d, a, b);
    if (hint === Hint.Decreasing) {
      reverseRange(d, a, b);
      pivot = b - 1 - (pivot - a);
      hint = Hint.Increasing;
    }
    if (wasBalanced && wasPartitioned && hint === Hint.Increasing && partialInsertionSort(d, a, b)) return;
    if (a > 0 && !d.less(a - 1, pivot)) {
      a = partitionEqual(d, a, b, pivot);
      continue;
    }
    const [mid, alreadyPartitioned] = partition(d, a, b, pivot);
    wasPartitioned = alreadyPartitioned;
    const leftLen = mid - a;
    const rightLen = b - mid;
    const balanceThreshold = Math.trunc(length / 8);
    if (leftLen < rightLen) {
      wasBalanced = leftLen >= balanceThreshold;
      pdqsort(d, a, mid, limit);
      a = mid + 1;
    } else {
      wasBalanced = rightLen >= balanceThreshold;
      pdqsort(d, mid + 1, b, limit);
      b = mid;
    }
  }
}

function partition(d: SortData, a: number, b: number, pivot: number): [number, boolean] {
  d.swap(a, pivot);
  let i = a + 1;
  let j = b - 1;
  while (i <= j && d.less(i, a)) i++;
  while (i <= j && !d.less(j, a)) j--;
  if (i > j) {
    d.swap(j, a);
    return [j, true];
  }
  d.swap(i, j);
  i++;
  j--;
  for (;;) {
    while (i <= j && d.less(i, a)) i++;
    while (i <= j && !d.less(j, a)) j--;
    if (i > j) break;
    d.swap(i, j);
    i++;
    j--;
  }
  d.swap(j, a);
  return [j, false];
}

function partitionEqual(d: SortData, a: number, b: number, pivot: number): number {
  d.swap(a, pivot);
  let i = a + 1;
  let j = b - 1;
  for (;;) {
    while (i <= j && !d.less(a, i)) i++;
    while (i <= j && d.less(a, j)) j--;
    if (i > j) break;
    d.swap(i, j);
    i++;
    j--;
  }
  return i;
}

function partialInsertionSort(d: SortData, a: number, b: number): boolean {
  const maxSteps = 5;
  const shortestShifting = 50;
  let i = a + 1;
  for (let step = 0; step < maxSteps; step++) {
    while (i < b && !d.less(i, i - 1)) i++;
    if (i === b) return true;
    if (b - a < shortestShifting) return false;
    d.swap(i, i - 1);
    if (i - a >= 2) {
      for (let j = i - 1; j >= 1; j--) {
        if (!d.less(j, j - 1)) break;
        d.swap(j, j - 1);
      }
    }
    if (b - i >= 2) {
      for (let j = i + 1; j < b; j++) {
        if (!d.less(j, j - 1)) break;
        d.swap(j, j - 1);
      }
    }
  }
  return false;
}

function breakPatterns(d: SortData, a: number, b: number): void {
  const length = b - a;
  if (length < 8) return;
  let random = BigInt(length);
  const modulus = BigInt(2 ** bitsLen(length));
  const next = (): bigint => {
    random ^= (random << 13n) & MASK64;
    random ^= random >> 17n;
    random ^= (random << 5n) & MASK64;
    return random;
  };
  const base = a + Math.trunc(length / 4) * 2;
  for (let idx = base - 1; idx <= base + 1; idx++) {
    let other = Number(next() & (modulus - 1n));
    if (other >= length) other -= length;
    d.swap(idx, a + other);
  }
}

function choosePivot(d: SortData, a: number, b: number): [number, Hint] {
  const shortestNinther = 50;
  const maxSwaps = 4 * 3;
  const l = b - a;
  const swaps = { n: 0 };
  let i = a + Math.trunc(l / 4) * 1;
  let j = a + Math.trunc(l / 4) * 2;
  let k = a + Math.trunc(l / 4) * 3;
  if (l >= 8) {
    if (l >= shortestNinther) {
      i = median(d, i - 1, i, i + 1, swaps);
      j = median(d, j - 1, j, j + 1, swaps);
      k = median(d, k - 1, k, k + 1, swaps);
    }
    j = median(d, i, j, k, swaps);
  }
  if (swaps.n === 0) return [j, Hint.Increasing];
  if (swaps.n === maxSwaps) return [j, Hint.Decreasing];
  return [j, Hint.Unknown];
}

function order2(d: SortData, a: number, b: number, swaps: { n: number }): [number, number] {
  if (d.less(b, a)) {
    swaps.n++;
    return [b, a];
  }
  return [a, b];
}

function median(d: SortData, a: number, b: number, c: number, swaps: { n: number }): number {
  [a, b] = order2(d, a, b, swaps);
  [b, c] = order2(d, b, c, swaps);
  [, b] = order2(d, a, b, swaps);
  return b;
}

function reverseRange(d: SortData, a: number, b: number): void {
  for (let i = a, j = b - 1; i < j; i++, j--) d.swap(i, j);
}

// sort.Sort.
export function goSort(d: SortData, n: number): void {
  if (n <= 1) return;
  pdqsort(d, 0, n, bitsLen(n));
}

// The order kubectl puts objects in for --sort-by: returns the original index
// of each object in sorted order. Throws SortError.
export function sortOrder(objects: unknown[], sortBy: string, opts: SortOptions = {}): number[] {
  const order = objects.map((_, i) => i);
  if (objects.length === 0) return order;
  if (opts.table && objects.length <= 1) return order;

  let field: string;
  try {
    field = relaxedJsonPathExpression(sortBy);
  } catch (e) {
    if (!opts.table) throw new SortError((e as Error).message);
    field = sortBy;
  }
  let parser: JsonPathTemplate;
  try {
    parser = parseJsonPath(field);
  } catch (e) {
    if (!(e instanceof JsonPathParseError)) throw e;
    throw new SortError(opts.table ? `sorting error: ${e.message}` : e.message);
  }

  const data = objects.map((o) => toGo(o));
  const first = (i: number): { found: boolean; value: Val } => {
    const values = findJsonPathResults(parser, data[i], { allowMissingKeys: true });
    const found = values.length > 0 && values[0].length > 0;
    return { found, value: found ? values[0][0] : undefined };
  };
  const objectText = (i: number): string => `&unstructured.Unstructured{Object:${goSyntax(data[i])}}`;
  const errText = (e: Error): string => `&errors.errorString{s:${goQuote(e.message)}}`;

  // Field presence, checked up front as kubectl does before sorting.
  const cache = new Map<number, { found: boolean; value: Val } | JsonPathExecError>();
  const lookup = (i: number): { found: boolean; value: Val } | JsonPathExecError => {
    let v = cache.get(i);
    if (!v) {
      try {
        v = first(i);
      } catch (e) {
        if (!(e instanceof JsonPathExecError)) throw e;
        v = e;
      }
      cache.set(i, v);
    }
    return v;
  };

  let foundOnce = false;
  if (opts.table) {
    for (let i = 0; i < data.length; i++) {
      const v = lookup(i);
      if (v instanceof JsonPathExecError) {
        throw new SortError(`Failed to get values for [][]reflect.Value(nil) using ${field} (${errText(v)})`);
      }
      if (v.found) foundOnce = true;
    }
  } else {
    for (let i = 0; i < data.length && !foundOnce; i++) {
      const v = lookup(i);
      if (v instanceof JsonPathExecError) throw new SortError(v.message);
      foundOnce = v.found;
    }
  }
  if (!foundOnce) throw new SortError(`couldn't find any field with path ${goQuote(field)} in the list of objects`);

  const quantities = new Map<string, Quantity | undefined>();
  const quantity = (s: string): Quantity | undefined => {
    if (!quantities.has(s)) quantities.set(s, tryParseQuantity(s));
    return quantities.get(s);
  };

  const sorter: SortData = {
    less(a: number, b: number): boolean {
      const ia = order[a];
      const ib = order[b];
      const va = lookup(ia);
      if (va instanceof JsonPathExecError) {
        throw new SortError(`Failed to get i values for ${objectText(ia)} using ${field} (${errText(va)})`, { line: 310, exitCode: 255 });
      }
      const vb = lookup(ib);
      if (vb instanceof JsonPathExecError) {
        throw new SortError(`Failed to get j values for ${objectText(ib)} using ${field} (${vb.message})`, { line: 315, exitCode: 255 });
      }
      if (!va.found) return true;
      if (!vb.found) return false;
      try {
        return isLess(va.value, vb.value, quantity);
      } catch (e) {
        if (!(e instanceof Unsortable)) throw e;
        const where = opts.table ? '[][][]reflect.Value' : '*unstructured.Unstructured';
        throw new SortError(`Field ${field} in ${where} is an unsortable type: interface, err: ${e.message}`, {
          line: opts.table ? 375 : 329,
          exitCode: 1,
        });
      }
    },
    swap(a: number, b: number): void {
      [order[a], order[b]] = [order[b], order[a]];
    },
  };
  goSort(sorter, order.length);
  return order;
}

// --sort-by over a list's objects (or a table's row objects with
// opts.table): the objects in kubectl's order. Throws SortError.
export function sortObjects<T>(objects: T[], sortBy: string, opts: SortOptions = {}): T[] {
  return sortOrder(objects, sortBy, opts).map((i) => objects[i]);
}
