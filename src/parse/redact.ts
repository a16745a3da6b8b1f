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
/** Environment-style names, in capitals (`PGPASSWORD`, `AWS_SECRET_ACCESS_KEY`). */
const SECRET_ENV_WORD = 'PASSWORD|PASSWD|PWD|SECRET|TOKEN|API_KEY|ACCESS_KEY';
/** Key names of `key=value` and `key: value` pairs. */
const SECRET_KEY =
  'password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|client[_-]?secret|credentials?';

interface Redaction {
  /**
   * Something every match of `pattern` contains, tested first: a line with a hint word mostly lacks
   * what a given pattern needs, and this short test costs less than the pattern's replace (over
   * lines that pass `HINT`, testing first halves the time).
   */
  needs: RegExp;
  pattern: RegExp;
  replacement: string | ((...groups: string[]) => string);
}

/** `user:pass@`, its password ending at the `@` (the user may be empty: `redis://:pw@host`). */
const USER_PASSWORD = /:[^\s/@"':]*@/;
const WEBHOOK_PATH = /\/webhooks?\//i;

// Applied in order: a later pattern sees the earlier ones' replacements (and so does its `needs`).
const REDACTIONS: Redaction[] = [
  {
    needs: /PRIVATE KEY-----/,
    pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
    replacement: '[redacted private key]',
  },
  {
    needs: /\beyJ/,
    pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
    replacement: '[redacted token]',
  },
  // Token shapes issued by GitHub, GitLab, Slack and AWS (access key ids).
  {
    needs: /\b(?:gh[pousr]_|github_pat_|glpat-|xox[abprse]-|AKIA|ASIA)/,
    pattern:
      /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}|xox[abprse]-[A-Za-z0-9-]{10,}|(?:AKIA|ASIA)[0-9A-Z]{16})\b/g,
    replacement: '[redacted token]',
  },
  // Webhook URLs carry their secret in the path.
  {
    needs: /hooks\.slack\.com\/services\//i,
    pattern: /(https?:\/\/hooks\.slack\.com\/services\/)[^\s"'<>]+/gi,
    replacement: `$1${R}`,
  },
  {
    needs: WEBHOOK_PATH,
    pattern: /(https?:\/\/(?:[a-z]+\.)?discord(?:app)?\.com\/api\/webhooks\/)[^\s"'<>]+/gi,
    replacement: `$1${R}`,
  },
  {
    needs: WEBHOOK_PATH,
    pattern: /(\/webhooks?\/)(?!\[redacted)[A-Za-z0-9_-]{16,}[^\s"'<>]*/gi,
    replacement: `$1${R}`,
  },
  {
    needs: /\b(?:Bearer|Basic)\s/,
    pattern: /\b(Bearer|Basic)\s+(?!\[redacted)[A-Za-z0-9._~+/=-]{8,}/g,
    replacement: `$1 ${R}`,
  },
  // Whole header values: a cookie is a session, an Authorization of any scheme is a credential.
  {
    needs: /cookie["']?\s*[:=]/i,
    pattern: /\b((?:Set-)?Cookie["']?\s*[:=]\s*["']?)(?!\[redacted)[^\r\n"']+/gi,
    replacement: `$1${R}`,
  },
  {
    needs: /authorization["']?\s*[:=]/i,
    pattern: /\b(Authorization["']?\s*[:=]\s*["']?)(?![\s"']|\[redacted|Bearer |Basic )[^\r\n]+/gi,
    replacement: `$1${R}`,
  },
  // user:pass@ in a URL, and in references without a scheme (registry credentials in an image).
  { needs: USER_PASSWORD, pattern: /(:\/\/[^\s/:@"']*):[^\s/@"']+@/g, replacement: `$1:${R}@` },
  {
    needs: USER_PASSWORD,
    pattern:
      /(^|[\s"'=,[(])([A-Za-z0-9._%+-]+):(?!\[redacted)[^\s@/"':]+@(?=[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g,
    replacement: `$1$2:${R}@`,
  },
  // A secret flag, then its value as the next word or the next element of an args array.
  {
    needs: new RegExp(`-(?:${SECRET_FLAG})`, 'i'),
    pattern: new RegExp(
      `((?:^|[\\s"'[,])--?(?:${SECRET_FLAG})["']?(?:\\s+|["']?\\s*,\\s*["']))(?!\\[redacted|-)[^\\s"',\\]]+`,
      'gi',
    ),
    replacement: `$1${R}`,
  },
  // Environment-style names in capitals followed by a space and the value (`PGPASSWORD hunter2`).
  {
    needs: new RegExp(`(?:${SECRET_ENV_WORD})[A-Z0-9_]*[ \\t]`),
    pattern: new RegExp(
      `\\b([A-Z0-9_]*(?:${SECRET_ENV_WORD})[A-Z0-9_]*[ \\t]+)(?!\\[redacted)[^\\s"']+`,
      'g',
    ),
    replacement: `$1${R}`,
  },
  // mysql's password glued to -p.
  { needs: /\bmysql/, pattern: /(\bmysql\w*\b[^\n]*?\s-p)(?!\[redacted)[^\s-]\S*/g, replacement: `$1${R}` },
  {
    needs: new RegExp(`(?:${SECRET_KEY})["']?\\s*[:=]`, 'i'),
    pattern: new RegExp(`((?:${SECRET_KEY})["']?\\s*[:=]\\s*["']?)(?!\\[redacted)([^\\s"',;&}]+)`, 'gi'),
    replacement: `$1${R}`,
  },
  // A random-looking value right after the word token, secret or key.
  {
    needs: /\b(?:token|secret|key)s?[ \t]/i,
    pattern: /\b((?:token|secret|key)s?[ \t]+)(?!\[redacted)([A-Za-z0-9+/_=-]{20,})/gi,
    replacement: (match, lead, value) => (looksRandom(value as string) ? `${lead}${R}` : match),
  },
];

/**
 * Every pattern's `needs` contains one of these words or a token prefix, or a user's `:password@`;
 * most log lines have none and skip the patterns (the event path runs this on every event). `key`
 * only counts with what a pattern needs around it: apiserver traces are full of `key:/…`. The words
 * are grouped by their first letter because V8 scans such a tree faster than a flat list (~15%).
 */
const HINT =
  /a(?:kia|sia|uthorization|pi[-_ ]?key|ccess[-_ ]?key)|b(?:earer|asic)|c(?:ookie|redential)|eyj|g(?:h[pousr]_|ithub_pat_|lpat-)|hooks\.slack|keys?[ \t]|mysql|p(?:ass|wd|rivate[-_ ]?key)|secret|token|webhook|xox[abprse]-/i;

export function redact(text: string): string {
  if (!HINT.test(text) && !(text.includes('@') && USER_PASSWORD.test(text))) return text;
  let result = text;
  for (const { needs, pattern, replacement } of REDACTIONS)
    if (needs.test(result))
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
