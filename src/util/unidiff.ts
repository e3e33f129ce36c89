// Unified diffs as GNU diff (`diff -u`) writes them, for `kubectl diff`,
// which runs `diff -u -N` on two directories. The line matching follows GNU
// diff's analyze.c: identical ends trimmed down to the context horizon,
// lines without a match in the other file set aside, Myers' middle-snake
// search (no heuristics: the inputs are small), then change groups slid
// as GNU slides them; hunks join when fewer than 2*context+1 lines apart.
// Written from the algorithm's description; no code was copied.

export interface Change {
  line0: number; // first deleted line (0-based), or where insertion happens
  line1: number;
  deleted: number;
  inserted: number;
}

// A file's lines; a last line without newline keeps a marker so that it
// differs from the same text with one.
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else lines[lines.length - 1] += NO_NEWLINE;
  return lines;
}

const NO_NEWLINE = '\u0000\\ No newline at end of file';

// Marks changed lines in the two sequences of equivalence classes.
function compare(x: number[], y: number[], cx: Uint8Array, cy: Uint8Array, xIndex: number[], yIndex: number[]): void {
  const n = x.length;
  const m = y.length;
  const size = n + m + 3;
  const fd = new Array<number>(size * 2 + 1).fill(0);
  const bd = new Array<number>(size * 2 + 1).fill(0);
  const off = size; // diagonals may be negative
  const diag = (xoff: number, xlim: number, yoff: number, ylim: number): [number, number] => {
    const dmin = xoff - ylim;
    const dmax = xlim - yoff;
    const fmid = xoff - yoff;
    const bmid = xlim - ylim;
    let fmin = fmid;
    let fmax = fmid;
    let bmin = bmid;
    let bmax = bmid;
    const odd = ((fmid - bmid) & 1) !== 0;
    fd[off + fmid] = xoff;
    bd[off + bmid] = xlim;
    for (;;) {
      if (fmin > dmin) fd[off + --fmin - 1] = -1;
      else ++fmin;
      if (fmax < dmax) fd[off + ++fmax + 1] = -1;
      else --fmax;
      for (let d = fmax; d >= fmin; d -= 2) {
        const tlo = fd[off + d - 1];
        const thi = fd[off + d + 1];
        const x0 = tlo < thi ? thi : tlo + 1;
        let xx = x0;
        let yy = x0 - d;
        while (xx < xlim && yy < ylim && x[xx] === y[yy]) {
          xx++;
          yy++;
        }
        fd[off + d] = xx;
        if (odd && bmin <= d && d <= bmax && bd[off + d] <= xx) return [xx, yy];
      }
      if (bmin > dmin) bd[off + --bmin - 1] = Number.MAX_SAFE_INTEGER;
      else ++bmin;
      if (bmax < dmax) bd[off + ++bmax + 1] = Number.MAX_SAFE_INTEGER;
      else --bmax;
      for (let d = bmax; d >= bmin; d -= 2) {
        const tlo = bd[off + d - 1];
        const thi = bd[off + d + 1];
        const x0 = tlo < thi ? tlo : thi - 1;
        let xx = x0;
        let yy = x0 - d;
        while (xoff < xx && yoff < yy && x[xx - 1] === y[yy - 1]) {
          xx--;
          yy--;
        }
        bd[off + d] = xx;
        if (!odd && fmin <= d && d <= fmax && xx <= fd[off + d]) return [xx, yy];
      }
    }
  };
  const seq = (xoff: number, xlim: number, yoff: number, ylim: number): void => {
    while (xoff < xlim && yoff < ylim && x[xoff] === y[yoff]) {
      xoff++;
      yoff++;
    }
    while (xoff < xlim && yoff < ylim && x[xlim - 1] === y[ylim - 1]) {
      xlim--;
      ylim--;
    }
    if (xoff === xlim) for (let j = yoff; j < ylim; j++) cy[yIndex[j]] = 1;
    else if (yoff === ylim) for (let i = xoff; i < xlim; i++) cx[xIndex[i]] = 1;
    else {
      const [xmid, ymid] = diag(xoff, xlim, yoff, ylim);
      seq(xoff, xmid, yoff, ymid);
      seq(xmid, xlim, ymid, ylim);
    }
  };
  seq(0, n, 0, m);
}

// discard_confusing_lines: lines with no match on the other side are changes
// for sure and are left out of the search; lines with very many matches are
// left out too when they sit inside a run of such lines.
function discards(eq: number[], otherCount: Map<number, number>): Uint8Array {
  const end = eq.length;
  const d = new Uint8Array(end);
  let many = 5;
  let tem = Math.floor(end / 64);
  while ((tem = tem >> 2) > 0) many *= 2;
  for (let i = 0; i < end; i++) {
    const nmatch = otherCount.get(eq[i]) ?? 0;
    if (nmatch === 0) d[i] = 1;
    else if (nmatch > many) d[i] = 2;
  }
  for (let i = 0; i < end; i++) {
    if (d[i] === 2) d[i] = 0;
    else if (d[i] !== 0) {
      let j = i;
      let provisional = 0;
      for (; j < end; j++) {
        if (d[j] === 0) break;
        if (d[j] === 2) ++provisional;
      }
      while (j > i && d[j - 1] === 2) {
        d[--j] = 0;
        --provisional;
      }
      const length = j - i;
      if (provisional * 4 > length) {
        while (j > i) if (d[--j] === 2) d[j] = 0;
      } else {
        let minimum = 1;
        let t = length >> 2;
        while ((t >>= 2) > 0) minimum <<= 1;
        minimum++;
        let consec = 0;
        for (j = 0; j < length; j++) {
          if (d[i + j] !== 2) consec = 0;
          else if (minimum === ++consec) j -= consec;
          else if (minimum < consec) d[i + j] = 0;
        }
        consec = 0;
        for (j = 0; j < length; j++) {
          if (j >= 8 && d[i + j] === 1) break;
          if (d[i + j] === 2) {
            consec = 0;
            d[i + j] = 0;
          } else if (d[i + j] === 0) consec = 0;
          else consec++;
          if (consec === 3) break;
        }
        i += length - 1;
        consec = 0;
        for (j = 0; j < length; j++) {
          if (j >= 8 && d[i - j] === 1) break;
          if (d[i - j] === 2) {
            consec = 0;
            d[i - j] = 0;
          } else if (d[i - j] === 0) consec = 0;
          else consec++;
          if (consec === 3) break;
        }
      }
    }
  }
  return d;
}

// shift_boundaries: each run of changes slides up while that merges it with
// an earlier run, then down as far as it goes, then back up to line up with
// a change on the other side. `changed` has a zero sentinel at each end.
function shiftBoundaries(eqs: [number[], number[]], changed: [Uint8Array, Uint8Array]): void {
  for (let f = 0; f < 2; f++) {
    const ch = changed[f];
    const other = changed[1 - f];
    const eq = eqs[f];
    const at = (a: Uint8Array, k: number) => a[k + 1];
    const set = (a: Uint8Array, k: number, v: number) => void (a[k + 1] = v);
    const iEnd = eq.length;
    let i = 0;
    let j = 0;
    for (;;) {
      while (i < iEnd && !at(ch, i)) {
        while (at(other, j++));
        i++;
      }
      if (i === iEnd) break;
      let start = i;
      while (at(ch, ++i));
      while (at(other, j)) j++;
      let runlength: number;
      let corresponding: number;
      do {
        runlength = i - start;
        while (start && eq[start - 1] === eq[i - 1]) {
          set(ch, --start, 1);
          set(ch, --i, 0);
          while (at(ch, start - 1)) start--;
          while (at(other, --j));
        }
        corresponding = at(other, j - 1) ? i : iEnd;
        while (i !== iEnd && eq[start] === eq[i]) {
          set(ch, start++, 0);
          set(ch, i++, 1);
          while (at(ch, i)) i++;
          while (at(other, ++j)) corresponding = i;
        }
      } while (runlength !== i - start);
      while (corresponding < i) {
        set(ch, --start, 1);
        set(ch, --i, 0);
        while (at(other, --j));
      }
    }
  }
}

export function diffChanges(a: string[], b: string[], context = 3): Change[] {
  // Identical ends are left out, but for `context` lines of each.
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const start = Math.max(0, prefix - context);
  const cut = Math.max(0, suffix - context);
  const ra = a.slice(start, a.length - cut);
  const rb = b.slice(start, b.length - cut);
  // Equivalence classes of the lines in the region.
  const classes = new Map<string, number>();
  const eqOf = (s: string) => {
    let c = classes.get(s);
    if (c === undefined) classes.set(s, (c = classes.size + 1));
    return c;
  };
  const ea = ra.map(eqOf);
  const eb = rb.map(eqOf);
  const count = (e: number[]) => {
    const m = new Map<number, number>();
    for (const c of e) m.set(c, (m.get(c) ?? 0) + 1);
    return m;
  };
  const da = discards(ea, count(eb));
  const db = discards(eb, count(ea));
  const ca = new Uint8Array(ra.length + 2);
  const cb = new Uint8Array(rb.length + 2);
  const keep = (e: number[], d: Uint8Array, c: Uint8Array) => {
    const xs: number[] = [];
    const idx: number[] = [];
    e.forEach((v, k) => {
      if (d[k] === 0) {
        xs.push(v);
        idx.push(k + 1);
      } else c[k + 1] = 1;
    });
    return { xs, idx };
  };
  const ka = keep(ea, da, ca);
  const kb = keep(eb, db, cb);
  compare(ka.xs, kb.xs, ca, cb, ka.idx, kb.idx);
  shiftBoundaries([ea, eb], [ca, cb]);
  // build_script, from the end; sentinels at index 0 of each array.
  const changes: Change[] = [];
  let i0 = ra.length;
  let i1 = rb.length;
  while (i0 >= 0 || i1 >= 0) {
    if ((i0 >= 0 && ca[i0]) || (i1 >= 0 && cb[i1])) {
      const l0 = i0;
      const l1 = i1;
      while (i0 > 0 && ca[i0]) --i0;
      while (i1 > 0 && cb[i1]) --i1;
      changes.unshift({ line0: i0 + start, line1: i1 + start, deleted: l0 - i0, inserted: l1 - i1 });
    }
    i0--;
    i1--;
  }
  return changes;
}

function range(first: number, count: number): string {
  // An empty range is named by the line before it.
  if (count === 0) return `${first},0`;
  return count === 1 ? `${first + 1}` : `${first + 1},${count}`;
}

// The hunks of `diff -u` between two texts ('' when they are equal).
export function unifiedHunks(aText: string, bText: string, context = 3): string {
  const a = splitLines(aText);
  const b = splitLines(bText);
  const changes = diffChanges(a, b, context);
  const show = (prefix: string, line: string) =>
    line.endsWith(NO_NEWLINE) ? `${prefix}${line.slice(0, -NO_NEWLINE.length)}\n\\ No newline at end of file\n` : `${prefix}${line}\n`;
  let out = '';
  let k = 0;
  while (k < changes.length) {
    // find_hunk: changes join while fewer than 2*context+1 lines separate them.
    let last = k;
    while (last + 1 < changes.length && changes[last + 1].line0 - (changes[last].line0 + changes[last].deleted) < 2 * context + 1) last++;
    const first = changes[k];
    const end = changes[last];
    const lo0 = Math.max(0, first.line0 - context);
    const lo1 = first.line1 - (first.line0 - lo0);
    const hi0 = Math.min(a.length, end.line0 + end.deleted + context);
    const hi1 = Math.min(b.length, end.line1 + end.inserted + context);
    out += `@@ -${range(lo0, hi0 - lo0)} +${range(lo1, hi1 - lo1)} @@\n`;
    let i = lo0;
    let j = lo1;
    for (let c = k; c <= last; c++) {
      const ch = changes[c];
      while (i < ch.line0) {
        out += show(' ', a[i++]);
        j++;
      }
      for (let n = 0; n < ch.deleted; n++) out += show('-', a[i++]);
      for (let n = 0; n < ch.inserted; n++) out += show('+', b[j++]);
    }
    while (i < hi0) {
      out += show(' ', a[i++]);
      j++;
    }
    k = last + 1;
  }
  return out;
}
