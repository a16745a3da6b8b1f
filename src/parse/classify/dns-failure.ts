import type { EventRule, RuleMatch } from './types.js';

/**
 * DNS broken: CoreDNS' loop plugin giving up (`[FATAL] plugin/loop: Loop (127.0.0.1:55953 -> :53)
 * detected for zone "."`, which makes CoreDNS crash-loop), its errors plugin (`[ERROR] plugin/errors: 2
 * example.com. A: read udp …: i/o timeout`), and a Go client's failed lookup (`lookup <name> on
 * <server>:53: no such host | server misbehaving | read udp …: i/o timeout`, the cgo resolver's
 * `Temporary failure in name resolution`). `attrs.cause`: loop, timeout, nxdomain, servfail,
 * unreachable or other; `attrs.name` the name looked up.
 */
const LOOP = /\[FATAL\] plugin\/loop: Loop \(([^)]*)\) detected for zone "([^"]*)"/;
const ERRORS = /\[ERROR\] plugin\/errors: \d+ (\S+) [A-Z]+: (.*)$/;
const LOOKUP =
  /\blookup ([\w.-]+)(?: on ([\d.:[\]a-f]+))?: (no such host|server misbehaving|.*i\/o timeout|Temporary failure in name resolution|.*connection refused)/;

function cause(error: string): string {
  if (/i\/o timeout/.test(error)) return 'timeout';
  if (/no such host|NXDOMAIN/.test(error)) return 'nxdomain';
  if (/server misbehaving|SERVFAIL/.test(error)) return 'servfail';
  if (/connection refused|network is unreachable|no route to host/.test(error)) return 'unreachable';
  if (/Temporary failure in name resolution/.test(error)) return 'timeout';
  return 'other';
}

export const dnsFailure: EventRule = {
  kind: 'dns_failure',
  description: 'CoreDNS loop detected, DNS resolution errors',
  severity: 'warning',
  needles: ['plugin/loop: Loop', 'plugin/errors:', 'lookup ', 'name resolution'],
  match({ text }): RuleMatch | null {
    const loop = LOOP.exec(text);
    if (loop)
      return {
        subject: null,
        attrs: { cause: 'loop', upstream: loop[1] as string, zone: loop[2] as string },
      };
    const errors = ERRORS.exec(text);
    if (errors)
      return { subject: null, attrs: { cause: cause(errors[2] as string), name: errors[1] as string } };
    const lookup = LOOKUP.exec(text);
    if (lookup) {
      const attrs: Record<string, string> = { cause: cause(lookup[3] as string), name: lookup[1] as string };
      if (lookup[2]) attrs.server = lookup[2];
      return { subject: null, attrs };
    }
    return null;
  },
  samples: [
    {
      line: '2024-01-12T10:00:31.000000000Z stdout F [FATAL] plugin/loop: Loop (127.0.0.1:55953 -> :53) detected for zone ".", see https://coredns.io/plugins/loop#troubleshooting. Query: "HINFO 4547991504243258144.3688648895315093531."',
      subject: null,
    },
    {
      line: '[ERROR] plugin/errors: 2 example.com. A: read udp 10.1.0.5:45678->8.8.8.8:53: i/o timeout',
      subject: null,
    },
    {
      line: 'E0112 10:00:31.000000       1 reflector.go:147] failed to list *v1.Service: Get "https://kubernetes.default.svc:443/api/v1/services": dial tcp: lookup kubernetes.default.svc on 10.152.183.10:53: read udp 10.1.0.9:40000->10.152.183.10:53: i/o timeout',
      subject: null,
    },
    {
      line: 'time="2024-01-12T10:00:31Z" level=error msg="failed to send webhook" error="Post \\"https://hooks.example.com/x\\": dial tcp: lookup hooks.example.com on 127.0.0.53:53: server misbehaving"',
      subject: null,
    },
  ],
  negatives: [
    '[INFO] plugin/reload: Running configuration SHA512 = 8a2f…',
    '[WARNING] No files matching import glob pattern: custom/*.override',
    'I0112 10:00:31.000000       1 dns.go:153] "Nameserver limits exceeded" err="Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 10.0.0.2 10.0.0.3 10.0.0.4"',
  ],
};
