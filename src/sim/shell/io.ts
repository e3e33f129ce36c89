// File descriptors of simulated processes: where output goes (the container's
// stdout/stderr, a file in the fake filesystem, a pipe, a capture buffer) and where
// input comes from.

import { Kernel, Pipe } from './kernel';
import type { Gen } from './kernel';

// A serialisable description of a descriptor, for checkpoints.
export type FdDesc = { k: 'proc'; s: 'stdout' | 'stderr' } | { k: 'null' } | { k: 'file'; path: string } | { k: 'stdin' };

export interface Out {
  readonly kind: 'out';
  write(s: string): Gen<void>;
  desc?: FdDesc;
  // Retained by every task holding it; the last release closes a pipe.
  retain?(): void;
  release?(): void;
}

export interface Line {
  line: string;
  // false for a last line without its newline.
  nl: boolean;
}

export interface In {
  readonly kind: 'in';
  // A chunk, or null at end of file.
  read(): Gen<string | null>;
  desc?: FdDesc;
  retain?(): void;
  release?(): void;
  // Data read but not consumed by readLine (shared between users of the same fd).
  pending?: string;
}

export type Fd = Out | In;

// The descriptor table of a process: 0, 1, 2 and any others opened by redirections.
export type Fds = Map<number, Fd>;

export function* readLine(i: In): Gen<Line | null> {
  for (;;) {
    const p = i.pending ?? '';
    const nl = p.indexOf('\n');
    if (nl >= 0) {
      i.pending = p.slice(nl + 1);
      return { line: p.slice(0, nl), nl: true };
    }
    const c = yield* i.read();
    if (c === null) {
      i.pending = '';
      return p === '' ? null : { line: p, nl: false };
    }
    i.pending = p + c;
  }
}

// Everything up to end of file, cut at `max` characters. Past the cap the input is
// still drained to its end (a writer into a pipe is not cut off early), but nothing
// more is copied: the chunks are joined once, so an endless producer costs steps,
// not host time per read.
export function* readAll(i: In, max: number): Gen<string> {
  const chunks: string[] = [];
  let n = 0;
  const keep = (c: string): void => {
    if (n >= max || c === '') return;
    const part = c.length > max - n ? c.slice(0, max - n) : c;
    chunks.push(part);
    n += part.length;
  };
  keep(i.pending ?? '');
  i.pending = '';
  for (;;) {
    const c = yield* i.read();
    if (c === null) return chunks.join('');
    keep(c);
  }
}

export class ProcOut implements Out {
  readonly kind = 'out';
  readonly desc: FdDesc;
  constructor(
    private readonly k: Kernel,
    readonly stream: 'stdout' | 'stderr',
  ) {
    this.desc = { k: 'proc', s: stream };
  }
  *write(s: string): Gen<void> {
    this.k.emit(this.stream, s);
  }
}

export class NullOut implements Out {
  readonly kind = 'out';
  readonly desc: FdDesc = { k: 'null' };
  *write(): Gen<void> {}
}

// Appends to a file of the fake filesystem (already created/truncated by open).
export class FileOut implements Out {
  readonly kind = 'out';
  readonly desc: FdDesc;
  constructor(
    private readonly k: Kernel,
    readonly path: string,
  ) {
    this.desc = { k: 'file', path };
  }
  *write(s: string): Gen<void> {
    if (s) this.k.write(this.path, s, true);
  }
}

// Collects output (command substitution), cut at `max` characters.
export class CaptureOut implements Out {
  readonly kind = 'out';
  text = '';
  constructor(private readonly max: number) {}
  *write(s: string): Gen<void> {
    if (this.text.length < this.max) this.text += s.slice(0, this.max - this.text.length);
  }
}

export class PipeOut implements Out {
  readonly kind = 'out';
  constructor(readonly pipe: Pipe) {}
  write(s: string): Gen<void> {
    return this.pipe.write(s);
  }
  retain(): void {
    this.pipe.writers++;
  }
  release(): void {
    this.pipe.closeWrite();
  }
}

export class PipeIn implements In {
  readonly kind = 'in';
  pending = '';
  constructor(readonly pipe: Pipe) {}
  read(): Gen<string | null> {
    return this.pipe.read();
  }
  retain(): void {
    this.pipe.readers++;
  }
  release(): void {
    this.pipe.closeRead();
  }
}

export class StrIn implements In {
  readonly kind = 'in';
  pending = '';
  private done = false;
  constructor(
    private readonly data: string,
    readonly desc?: FdDesc,
  ) {}
  *read(): Gen<string | null> {
    if (this.done) return null;
    this.done = true;
    return this.data === '' ? null : this.data;
  }
}

export class NullIn implements In {
  readonly kind = 'in';
  readonly desc: FdDesc = { k: 'null' };
  pending = '';
  *read(): Gen<string | null> {
    return null;
  }
}

// An open stdin nobody writes to: reads block forever.
export class BlockIn implements In {
  readonly kind = 'in';
  readonly desc: FdDesc = { k: 'stdin' };
  pending = '';
  *read(): Gen<string | null> {
    for (;;) yield { k: 'block' };
  }
}

// Writes everything to `o`, a helper for applets.
export function* put(o: Fd | undefined, s: string): Gen<void> {
  if (!o || o.kind !== 'out' || s === '') return;
  yield* o.write(s);
}
