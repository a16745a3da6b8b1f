import type { Severity } from '../../types/index.js';

/** Maps the level words of zap, logrus, slog, calico and journald priorities onto three severities. */
export function severityOf(level: string | undefined): Severity | undefined {
  if (!level) return undefined;
  switch (level.toLowerCase()) {
    case 'e':
    case 'f':
    case 'error':
    case 'err':
    case 'fatal':
    case 'panic':
    case 'dpanic':
    case 'crit':
    case 'critical':
    case 'alert':
    case 'emerg':
    case '0':
    case '1':
    case '2':
    case '3':
      return 'error';
    case 'w':
    case 'warn':
    case 'warning':
    case '4':
      return 'warning';
    case 'i':
    case 'info':
    case 'debug':
    case 'trace':
    case 'notice':
    case '5':
    case '6':
    case '7':
      return 'info';
    default:
      return undefined;
  }
}
