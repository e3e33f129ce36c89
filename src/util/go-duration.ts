// Go's time.Duration.String, for a duration in (possibly fractional)
// milliseconds: "500ms", "2.119s", "1m5s", "1h0m0s".
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${Number(ms.toFixed(6))}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const secs = `${Number(((ms % 60_000) / 1000).toFixed(9))}s`;
  return h > 0 ? `${h}h${m}m${secs}` : m > 0 ? `${m}m${secs}` : secs;
}
