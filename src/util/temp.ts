import * as os from 'node:os';
import * as path from 'node:path';

// Go's os.MkdirTemp / os.CreateTemp names (`<prefix><digits><suffix>` in the
// temporary directory), made by `make`, which must fail with EEXIST rather
// than reuse a path (mkdir, open with 'wx'): the next number is tried then.
// The digits are the pid and a counter, not host randomness.
export function exclusiveTemp(prefix: string, suffix: string, make: (file: string) => void): string {
  for (let n = 0; ; n++) {
    const file = path.join(os.tmpdir(), `${prefix}${process.pid}${n}${suffix}`);
    try {
      make(file);
      return file;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
