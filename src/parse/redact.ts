/**
 * Secrets never reach the case or any output: tokens, passwords, keys and credentials in URLs are
 * replaced at ingest, before anything is stored. Patterns cover the shapes Kubernetes logs and dumps
 * carry (bearer tokens, JWT service-account tokens, `password=`/`token:` pairs, PEM private keys).
 */
const PATTERNS: [RegExp, string][] = [
  [
    /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
    '[redacted private key]',
  ],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '[redacted token]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, '$1 [redacted]'],
  [/(:\/\/[^\s/:@"']+):[^\s/@"']+@/g, '$1:[redacted]@'],
  [
    /((?:password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)["']?\s*[:=]\s*["']?)(?!\[redacted)([^\s"',;&}]+)/gi,
    '$1[redacted]',
  ],
];

/**
 * Every pattern above needs one of these words or a URL with a user; most lines have neither and skip
 * the patterns. The URL check is apart because `[^\s/]*@` in the case-blind alternation doubled its
 * cost on every line, and a line without `@` cannot have one.
 */
const HINT = /pass|secret|token|key|credential|bearer|basic|eyj/i;
const URL_HINT = /:\/\/[^\s/]*@/;

export function redact(text: string): string {
  if (!HINT.test(text) && !(text.includes('@') && URL_HINT.test(text))) return text;
  let result = text;
  for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement);
  return result;
}

const SECRET_NAME = /pass|secret|token|key|credential|auth/i;

/** True when an environment variable's name says its value is a secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}
