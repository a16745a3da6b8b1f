/**
 * Log-line shapes the sample generators write, exactly as the real programs print them
 * (../shared/docs/bundles-and-signatures.md §3, log-signatures-catalog.md §1). Pure functions of
 * their arguments, so the generators stay deterministic.
 */
export const pad = (n: number, width = 2) => String(n).padStart(width, '0');
export const iso = (ms: number) => new Date(ms).toISOString();

/** klog header: Lmmdd hh:mm:ss.uuuuuu, PID right-aligned in 7 columns. */
export function klog(
  level: 'I' | 'W' | 'E' | 'F',
  ms: number,
  micros: number,
  pid: number,
  where: string,
  msg: string,
) {
  const d = new Date(ms);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const frac = `${pad(d.getUTCMilliseconds(), 3)}${pad(micros, 3)}`;
  return `${level}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())} ${time}.${frac} ${String(pid).padStart(7)} ${where}] ${msg}`;
}

/** journalctl -o short-iso-precise (systemd ≥ 255: offset with a colon). */
export function journal(ms: number, micros: number, host: string, ident: string, msg: string): string {
  return `${iso(ms).slice(0, 23)}${pad(micros, 3)}+00:00 ${host} ${ident}: ${msg}`;
}
