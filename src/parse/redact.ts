/**
 * Secrets never reach the case or any output: tokens, passwords, keys, cookies and credentials in
 * URLs are replaced at ingest, before anything is stored. They are found three ways:
 * - by key name: `password=`, `token: `, `--api-key=`, an env var named like a secret;
 * - by context: the word before the value (`--password <v>`, `PGPASSWORD <v>`, `Cookie: …`,
 *   `Authorization: …`, `mysql … -p<v>`, the element after `"--token"` in an args array);
 * - by the value's own shape: JWTs, PEM keys, GitHub/GitLab/Slack/AWS tokens, webhook URLs,
 *   `user:pass@` in any URL or image reference, long random strings after `token`/`secret`/`key`.
 */
const R = '[redacted]';

/** A long run that looks random (letters and digits mixed), not a word or a path. */
function looksRandom(value: string): boolean {
  return (
    value.length >= 20 && /[0-9]/.test(value) && /[A-Za-z]/.test(value) && !/^[a-z]+(?:-[a-z]+)*$/.test(value)
  );
}

const SECRET_FLAG =
  'password|passwd|pass|pwd|token|secret|api-?key|access-?key|secret-?key|client-?secret|auth-?token|kube-api-token|credentials?';

const PATTERNS: [RegExp, string | ((...groups: string[]) => string)][] = [
  [
    /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
    '[redacted private key]',
  ],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '[redacted token]'],
  // Token shapes issued by GitHub, GitLab, Slack and AWS (access key ids).
  [
    /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}|xox[abprse]-[A-Za-z0-9-]{10,}|(?:AKIA|ASIA)[0-9A-Z]{16})\b/g,
    '[redacted token]',
  ],
  // Webhook URLs carry their secret in the path.
  [/(https?:\/\/hooks\.slack\.com\/services\/)[^\s"'<>]+/gi, `$1${R}`],
  [/(https?:\/\/(?:[a-z]+\.)?discord(?:app)?\.com\/api\/webhooks\/)[^\s"'<>]+/gi, `$1${R}`],
  [/(\/webhooks?\/)(?!\[redacted)[A-Za-z0-9_-]{16,}[^\s"'<>]*/gi, `$1${R}`],
  [/\b(Bearer|Basic)\s+(?!\[redacted)[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${R}`],
  // Whole header values: a cookie is a session, an Authorization of any scheme is a credential.
  [/\b((?:Set-)?Cookie["']?\s*[:=]\s*["']?)(?!\[redacted)[^\r\n"']+/gi, `$1${R}`],
  [/\b(Authorization["']?\s*[:=]\s*["']?)(?![\s"']|\[redacted|Bearer |Basic )[^\r\n]+/gi, `$1${R}`],
  // user:pass@ in a URL, and in references without a scheme (registry credentials in an image).
  [/(:\/\/[^\s/:@"']*):[^\s/@"']+@/g, `$1:${R}@`],
  [
    /(^|[\s"'=,[(])([A-Za-z0-9._%+-]+):(?!\[redacted)[^\s@/"':]+@(?=[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g,
    `$1$2:${R}@`,
  ],
  // A secret flag, then its value as the next word or the next element of an args array.
  [
    new RegExp(
      `((?:^|[\\s"'[,])--?(?:${SECRET_FLAG})["']?(?:\\s+|["']?\\s*,\\s*["']))(?!\\[redacted|-)[^\\s"',\\]]+`,
      'gi',
    ),
    `$1${R}`,
  ],
  // Environment-style names in capitals followed by a space and the value (`PGPASSWORD hunter2`).
  [
    /\b([A-Z0-9_]*(?:PASSWORD|PASSWD|PWD|SECRET|TOKEN|API_KEY|ACCESS_KEY)[A-Z0-9_]*[ \t]+)(?!\[redacted)[^\s"']+/g,
    `$1${R}`,
  ],
  // mysql's password glued to -p.
  [/(\bmysql\w*\b[^\n]*?\s-p)(?!\[redacted)[^\s-]\S*/g, `$1${R}`],
  [
    /((?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|client[_-]?secret|credentials?)["']?\s*[:=]\s*["']?)(?!\[redacted)([^\s"',;&}]+)/gi,
    `$1${R}`,
  ],
  // A random-looking value right after the word token, secret or key.
  [
    /\b((?:token|secret|key)s?[ \t]+)(?!\[redacted)([A-Za-z0-9+/_=-]{20,})/gi,
    (match, lead, value) => (looksRandom(value as string) ? `${lead}${R}` : match),
  ],
];

/**
 * Every pattern above needs one of these words, a token prefix, or an `@` with a user before it;
 * most log lines have none and skip the patterns (the event path runs this on every event).
 */
const HINT =
  /pass|secret|token|key|credential|bearer|basic|eyj|auth|cookie|pwd|gh[pousr]_|github_pat_|glpat-|xox[abprse]-|AKIA|ASIA|hooks\.slack|webhook|mysql/i;
// The user may be empty (`redis://:pw@host`).
const USER_HINT = /(?:[^\s:@/]|\/\/):[^\s@/]+@/;

export function redact(text: string): string {
  if (!HINT.test(text) && !(text.includes('@') && USER_HINT.test(text))) return text;
  let result = text;
  for (const [pattern, replacement] of PATTERNS)
    result = result.replace(pattern, replacement as (substring: string, ...args: string[]) => string);
  return result;
}

/** A command line or args array: each element redacted, and the element after a secret flag whole. */
export function redactArgs(args: string[]): string[] {
  const flag = new RegExp(`^--?(?:${SECRET_FLAG})$`, 'i');
  return args.map((arg, i) => (i > 0 && flag.test(args[i - 1] as string) ? R : redact(arg)));
}

const SECRET_NAME = /pass|secret|token|key|credential|auth|pwd|cookie|webhook|dsn/i;

/** True when an environment variable's name says its value is a secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

const PEM_BEGIN = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
const PEM_END = /-----END [A-Z ]*PRIVATE KEY-----/;
/** `- name: DB_PASSWORD` (YAML) or `"name": "DB_PASSWORD",` (JSON): an env entry's name on its own line. */
const NAME_LINE = /^\s*(?:-\s+)?"?name"?\s*:\s*"?([^"\s,]+)"?\s*,?\s*$/;
const VALUE_LINE = /^(\s*"?value"?\s*:\s*)\S.*$/;
/** The opening of a Secret's or ConfigMap's `data`/`stringData` map, its entries on the lines below. */
const DATA_BLOCK = /^(\s*)"?(?:data|stringData|binaryData)"?\s*:\s*\{?\s*$/;
const DATA_ENTRY = /^(\s*(?:"[^"]*"|[^\s:]+)\s*:\s*)\S.*?(,?)$/;

const indentOf = (line: string) => /^\s*/.exec(line)![0].length;

/**
 * Redacts a file read line by line for showing as it is (the excerpt around a cited line), where
 * some secrets span lines: the body of a PEM private key, an env entry's value on the line after its
 * secret-looking name (pretty-printed kubectl JSON or YAML), and the entries of a `data` map (a
 * Secret's, whose `kind` comes after `data` in kubectl's JSON). Each line also goes through `redact`.
 */
export function lineRedactor(): (line: string) => string {
  let inKey = false;
  let secretValueDue = 0;
  let dataIndent = -1;
  return (line) => {
    if (inKey) {
      if (PEM_END.test(line)) inKey = false;
      return '[redacted private key]';
    }
    if (PEM_BEGIN.test(line) && !PEM_END.test(line)) {
      inKey = true;
      return '[redacted private key]';
    }
    if (dataIndent >= 0) {
      if (line.trim() !== '' && indentOf(line) <= dataIndent) dataIndent = -1;
      else return line.replace(DATA_ENTRY, `$1${R}$2`);
    }
    const block = DATA_BLOCK.exec(line);
    if (block) dataIndent = block[1]!.length;
    const name = NAME_LINE.exec(line);
    if (name) {
      secretValueDue = isSecretName(name[1]!) ? 2 : 0;
      return redact(line);
    }
    if (secretValueDue > 0) {
      secretValueDue--;
      if (VALUE_LINE.test(line)) {
        secretValueDue = 0;
        return line.replace(VALUE_LINE, `$1${R}`);
      }
    }
    return redact(line);
  };
}
