import { hostNow } from '../sim/clock';

// A warning line in klog's format, as kubectl's own warnings (not the API
// server's) are printed: `W1123 08:57:03.602200   21589 helpers.go:702] text`.
export function klogWarning(text: string, where = 'helpers.go:702'): string {
  return klogLine('W', where, text);
}

// When and who a line is stamped with.
export interface KlogStamp {
  now: number;
  pid: number;
}

// A command's session supplies the cluster's simulated now (and a pid from its
// seed), so that klog lines replay byte for byte like the rest of the output;
// without one the host's time and pid are printed.
let stampSource: (() => KlogStamp | undefined) | undefined;

export function setKlogSource(source: () => KlogStamp | undefined): void {
  stampSource = source;
}

export function klogStamp(): KlogStamp {
  return stampSource?.() ?? { now: hostNow(), pid: process.pid };
}

export function klogLine(severity: 'I' | 'W' | 'E' | 'F', where: string, text: string): string {
  const { now, pid } = klogStamp();
  const d = new Date(now);
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds() * 1000).padStart(6, '0')}`;
  return `${severity}${two(d.getMonth() + 1)}${two(d.getDate())} ${time} ${String(pid).padStart(7)} ${where}] ${text}\n`;
}
