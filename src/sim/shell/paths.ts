// Path arithmetic for the fake filesystem (POSIX, no host path module involved).

// The absolute, normalised form of `p` seen from `cwd`.
export function normPath(cwd: string, p: string): string {
  const full = p.startsWith('/') ? p : `${cwd}/${p}`;
  const out: string[] = [];
  for (const c of full.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') out.pop();
    else out.push(c);
  }
  return '/' + out.join('/');
}

export function joinPath(a: string, b: string): string {
  if (a === '') return b;
  return a.endsWith('/') ? a + b : `${a}/${b}`;
}

export function baseName(p: string): string {
  const t = p.replace(/\/+$/, '');
  if (t === '') return p === '' ? '' : '/';
  return t.slice(t.lastIndexOf('/') + 1);
}

export function dirName(p: string): string {
  const t = p.replace(/\/+$/, '');
  if (t === '') return p === '' ? '.' : '/';
  const i = t.lastIndexOf('/');
  if (i < 0) return '.';
  const d = t.slice(0, i).replace(/\/+$/, '');
  return d === '' ? '/' : d;
}
