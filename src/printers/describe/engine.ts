import { tabwrite, DESCRIBE_OPTIONS } from '../tabwriter';
import { age, humanDuration } from '../duration';

// The machinery every describer shares (kubectl pkg/describe): a prefix
// writer whose text goes through Go's text/tabwriter, and the way describe
// prints times, booleans and Go's `%v` of a few values.

export const LEVEL_0 = 0;
export const LEVEL_1 = 1;
export const LEVEL_2 = 2;
export const LEVEL_3 = 3;

// What describers write to: `level` indents by two spaces per level.
export interface Writer {
  write(level: number, text: string): void;
  // A whole line without indentation (Go's fmt.Sprintln of the value).
  writeLine(text?: string): void;
}

// kubectl escapes terminal control characters in everything it writes (printers.WriteEscaped).
function escapeTerminal(s: string): string {
  return s.replace(/\x1b/g, '^[').replace(/\r/g, '\\r');
}

export class PrefixWriter implements Writer {
  private done = '';
  private pending = '';

  write(level: number, text: string): void {
    this.pending += escapeTerminal('  '.repeat(level) + text);
  }

  writeLine(text = ''): void {
    this.pending += escapeTerminal(`${text}\n`);
  }

  // Ends the current column blocks, as tabwriter.Flush does: the events table
  // is aligned on its own, not with the lines above it.
  flush(): void {
    if (this.pending === '') return;
    this.done += tabwrite(this.pending, DESCRIBE_OPTIONS);
    this.pending = '';
  }

  toString(): string {
    this.flush();
    return this.done;
  }
}

// nestedPrefixWriter: everything `indent` levels deeper.
export class NestedWriter implements Writer {
  constructor(
    private readonly out: Writer,
    private readonly indent: number,
  ) {}

  write(level: number, text: string): void {
    this.out.write(level + this.indent, text);
  }

  writeLine(text = ''): void {
    this.out.write(this.indent, `${text}\n`);
  }
}

// Runs a describer body and returns its tabbed text (kubectl's tabbedString).
export function tabbed(body: (w: PrefixWriter) => void): string {
  const w = new PrefixWriter();
  body(w);
  return w.toString();
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

// Go's zero time.Time, which is what a missing metav1.Time formats as.
const ZERO_TIME = 'Mon, 01 Jan 0001 00:00:00 +0000';

// time.RFC1123Z in the process's local zone: metav1.Time converts to local
// time when decoded, and Node's Date follows TZ (or /etc/localtime) as Go does.
export function rfc1123z(timestamp: string | null | undefined): string {
  if (!timestamp) return ZERO_TIME;
  const ms = Date.parse(timestamp);
  if (Number.isNaN(ms)) return ZERO_TIME;
  const d = new Date(ms);
  const offset = -d.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${DAYS[d.getDay()]}, ${pad2(d.getDate())} ${MONTHS[d.getMonth()]} ${String(d.getFullYear()).padStart(4, '0')} ` +
    `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())} ${sign}${pad2(Math.floor(abs / 60))}${pad2(abs % 60)}`
  );
}

// The local zone's abbreviation, as Go prints it in Time.String(): a name
// where the zone has one (UTC, EST), else the numeric offset.
function zoneAbbreviation(d: Date): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName');
  const name = part?.value ?? 'UTC';
  const m = /^GMT([+-])(\d{1,2})(?::(\d{2}))?$/.exec(name);
  if (m) return `${m[1]}${m[2].padStart(2, '0')}${m[3] ?? ''}`;
  return name === 'GMT' ? 'UTC' : name;
}

// Go's time.Time.String() in local time: `2026-11-23 09:26:37 +0000 UTC`.
export function goTimeString(timestamp: string | null | undefined): string {
  const ms = timestamp ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(ms)) return '0001-01-01 00:00:00 +0000 UTC';
  const d = new Date(ms);
  const offset = -d.getTimezoneOffset();
  const abs = Math.abs(offset);
  const zone = `${offset < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}${pad2(abs % 60)}`;
  const date = `${String(d.getFullYear()).padStart(4, '0')}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
  return `${date} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())} ${zone} ${zoneAbbreviation(d)}`;
}

// translateTimestampSince: HumanDuration of now - t, `<unknown>` when unset.
export function since(timestamp: string | null | undefined, now: number): string {
  return age(timestamp ?? undefined, now);
}

// HumanDuration of end - start (a job's Duration).
export function humanDurationBetween(start: string, end: string): string {
  return humanDuration(Date.parse(end) - Date.parse(start));
}

// printBool: `True` / `False`.
export function printBool(v: boolean | undefined): string {
  return v ? 'True' : 'False';
}

// printBoolPtr: `<unset>` for a nil pointer.
export function printBoolPtr(v: boolean | undefined | null): string {
  return v === undefined || v === null ? '<unset>' : printBool(v);
}

// Go's `%v` of a value decoded from JSON: slices as `[a b]`, maps as
// `map[k:v]`, nil as `<nil>`, pointers to structs as `&{...}` (fields in order).
export function goValue(v: unknown): string {
  if (v === undefined || v === null) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([k, x]) => `${k}:${goValue(x)}`).join(' ')}]`;
  }
  return String(v);
}

// Go's `%v` of a []string field (nil prints as `[]`).
export function goList(v: readonly unknown[] | undefined | null): string {
  return `[${(v ?? []).map((x) => String(x)).join(' ')}]`;
}

// Byte length, as Go's len() of a string.
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

// IntOrString's String(): the number, or the string as is.
export function intOrString(v: number | string | undefined | null): string {
  if (v === undefined || v === null) return '<nil>';
  return String(v);
}

// A stable sort, for the lists kubectl sorts with sort.Stable or sort.Slice on
// short lists (insertion sort: stable up to 12 elements).
export function stableSort<T>(items: readonly T[], less: (a: T, b: T) => boolean): T[] {
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => (less(a.item, b.item) ? -1 : less(b.item, a.item) ? 1 : a.i - b.i))
    .map((x) => x.item);
}

// Go's sort.Sort (pattern-defeating quicksort, Go 1.19+): not stable, but
// deterministic, so equal elements (events of the same second) land where
// kubectl puts them.
export function goSort<T>(items: readonly T[], less: (a: T, b: T) => boolean): T[] {
  const data = [...items];
  const lessAt = (i: number, j: number) => less(data[i], data[j]);
  const swap = (i: number, j: number) => {
    const t = data[i];
    data[i] = data[j];
    data[j] = t;
  };
  const insertionSort = (a: number, b: number) => {
    for (let i = a + 1; i < b; i++) for (let j = i; j > a && lessAt(j, j - 1); j--) swap(j, j - 1);
  };
  const siftDown = (lo: number, hi: number, first: number) => {
    let root = lo;
    for (;;) {
      let child = 2 * root + 1;
      if (child >= hi) return;
      if (child + 1 < hi && lessAt(first + child, first + child + 1)) child++;
      if (!lessAt(first + root, first + child)) return;
      swap(first + root, first + child);
      root = child;
    }
  };
  const heapSort = (a: number, b: number) => {
    const hi = b - a;
    for (let i = Math.trunc((hi - 1) / 2); i >= 0; i--) siftDown(i, hi, a);
    for (let i = hi - 1; i >= 0; i--) {
      swap(a, a + i);
      siftDown(0, i, a);
    }
  };
  const bitsLen = (n: number) => (n === 0 ? 0 : Math.floor(Math.log2(n)) + 1);
  const breakPatterns = (a: number, b: number) => {
    const length = b - a;
    if (length < 8) return;
    let r = BigInt(length);
    const mask = (1n << 64n) - 1n;
    const next = () => {
      r ^= (r << 13n) & mask;
      r ^= r >> 17n;
      r ^= (r << 5n) & mask;
      return r;
    };
    const modulus = BigInt(2 ** bitsLen(length));
    for (let idx = a + Math.trunc(length / 4) * 2 - 1; idx <= a + Math.trunc(length / 4) * 2 + 1; idx++) {
      let other = Number(next() & (modulus - 1n));
      if (other >= length) other -= length;
      swap(idx, a + other);
    }
  };
  type Hint = 'unknown' | 'increasing' | 'decreasing';
  const choosePivot = (a: number, b: number): [number, Hint] => {
    const l = b - a;
    const swaps = { n: 0 };
    const order2 = (x: number, y: number): [number, number] => {
      if (lessAt(y, x)) {
        swaps.n++;
        return [y, x];
      }
      return [x, y];
    };
    const median = (x: number, y: number, z: number) => {
      [x, y] = order2(x, y);
      [y, z] = order2(y, z);
      [x, y] = order2(x, y);
      void z;
      return y;
    };
    let i = a + Math.trunc(l / 4);
    let j = a + Math.trunc(l / 4) * 2;
    let k = a + Math.trunc(l / 4) * 3;
    if (l >= 8) {
      if (l >= 50) {
        i = median(i - 1, i, i + 1);
        j = median(j - 1, j, j + 1);
        k = median(k - 1, k, k + 1);
      }
      j = median(i, j, k);
    }
    return [j, swaps.n === 0 ? 'increasing' : swaps.n === 12 ? 'decreasing' : 'unknown'];
  };
  const partialInsertionSort = (a: number, b: number): boolean => {
    let i = a + 1;
    for (let step = 0; step < 5; step++) {
      while (i < b && !lessAt(i, i - 1)) i++;
      if (i === b) return true;
      if (b - a < 50) return false;
      swap(i, i - 1);
      if (i - a >= 2) {
        for (let j = i - 1; j >= 1; j--) {
          if (!lessAt(j, j - 1)) break;
          swap(j, j - 1);
        }
      }
      if (b - i >= 2) {
        for (let j = i + 1; j < b; j++) {
          if (!lessAt(j, j - 1)) break;
          swap(j, j - 1);
        }
      }
    }
    return false;
  };
  const partitionEqual = (a: number, b: number, pivot: number): number => {
    swap(a, pivot);
    let i = a + 1;
    let j = b - 1;
    for (;;) {
      while (i <= j && !lessAt(a, i)) i++;
      while (i <= j && lessAt(a, j)) j--;
      if (i > j) return i;
      swap(i, j);
      i++;
      j--;
    }
  };
  const partition = (a: number, b: number, pivot: number): [number, boolean] => {
    swap(a, pivot);
    let i = a + 1;
    let j = b - 1;
    while (i <= j && lessAt(i, a)) i++;
    while (i <= j && !lessAt(j, a)) j--;
    if (i > j) {
      swap(j, a);
      return [j, true];
    }
    swap(i, j);
    i++;
    j--;
    for (;;) {
      while (i <= j && lessAt(i, a)) i++;
      while (i <= j && !lessAt(j, a)) j--;
      if (i > j) break;
      swap(i, j);
      i++;
      j--;
    }
    swap(j, a);
    return [j, false];
  };
  const pdqsort = (a: number, b: number, limit: number): void => {
    let wasBalanced = true;
    let wasPartitioned = true;
    for (;;) {
      const length = b - a;
      if (length <= 12) {
        insertionSort(a, b);
        return;
      }
      if (limit === 0) {
        heapSort(a, b);
        return;
      }
      if (!wasBalanced) {
        breakPatterns(a, b);
        limit--;
      }
      let [pivot, hint] = choosePivot(a, b);
      if (hint === 'decreasing') {
        for (let i = a, j = b - 1; i < j; i++, j--) swap(i, j);
        pivot = b - 1 - (pivot - a);
        hint = 'increasing';
      }
      if (wasBalanced && wasPartitioned && hint === 'increasing' && partialInsertionSort(a, b)) return;
      if (a > 0 && !lessAt(a - 1, pivot)) {
        a = partitionEqual(a, b, pivot);
        continue;
      }
      const [mid, alreadyPartitioned] = partition(a, b, pivot);
      wasPartitioned = alreadyPartitioned;
      const leftLen = mid - a;
      const rightLen = b - mid;
      const balanceThreshold = Math.trunc(length / 8);
      if (leftLen < rightLen) {
        wasBalanced = leftLen >= balanceThreshold;
        pdqsort(a, mid, limit);
        a = mid + 1;
      } else {
        wasBalanced = rightLen >= balanceThreshold;
        pdqsort(mid + 1, b, limit);
        b = mid;
      }
    }
  };
  if (data.length > 1) pdqsort(0, data.length, bitsLen(data.length));
  return data;
}
