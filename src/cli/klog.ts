import { hostNow } from '../sim/clock';

// A warning line in klog's format, as kubectl's own warnings (not the API
// server's) are printed: `W1123 08:57:03.602200   21589 helpers.go:702] text`.
export function klogWarning(text: string, where = 'helpers.go:702'): string {
  return klogLine('W', where, text);
}

export function klogLine(severity: 'I' | 'W' | 'E' | 'F', where: string, text: string): string {
  const d = new Date(hostNow());
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds() * 1000).padStart(6, '0')}`;
  return `${severity}${two(d.getMonth() + 1)}${two(d.getDate())} ${time} ${String(process.pid).padStart(7)} ${where}] ${text}\n`;
}
