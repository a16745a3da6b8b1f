import { describe, expect, it } from 'vitest';
import { isSecretName, lineRedactor, redact } from '../../src/parse/redact.js';
import { REPEAT_CORPUS } from './_repeat-lines.js';

describe('redact', () => {
  const cases: [string, string][] = [
    ['Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345', 'Authorization: Bearer [redacted]'],
    [
      'token eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2lnbmF0dXJl used',
      'token [redacted token] used',
    ],
    ['--kube-api-token=abc123def456', '--kube-api-token=[redacted]'],
    ['password: hunter2', 'password: [redacted]'],
    ['DB_PASSWORD="s3cr3t" other=1', 'DB_PASSWORD="[redacted]" other=1'],
    ['GET https://admin:pa55w0rd@10.0.0.1:16443/api', 'GET https://admin:[redacted]@10.0.0.1:16443/api'],
    // No user, only a password (Redis's AUTH in a URL).
    ['connect redis://:r3disPw@redis:6379/0', 'connect redis://:[redacted]@redis:6379/0'],
    [
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----',
      '[redacted private key]',
    ],
  ];
  for (const [input, output] of cases) it(input.slice(0, 40), () => expect(redact(input)).toBe(output));

  it('treats every digit alike (a repeated line differing in its clock digits is redacted alike)', () => {
    // src/parse/event.ts's repeatedMessage relies on it: no pattern may single out a digit.
    const rotate = (text: string, by: number) =>
      text.replace(/[0-9]/g, (digit) => String((Number(digit) + by) % 10));
    const lines = [
      ...REPEAT_CORPUS,
      'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlMTIz',
      'export AWS_ACCESS_KEY_ID=AKIA1234567890ABCDEF token a1b2c3d4e5f6a7b8c9d0e1f2 secret=x9',
      'mysql -u root -p4sdf9 --password 12345 https://u:p4ss@10.0.0.1:5432/db ghp_0123456789abcdefghij0123',
      'curl https://hooks.slack.com/services/T000/B000/XXXX0000 -H "Cookie: session=123abc"',
    ];
    let changed = 0;
    for (const line of lines) {
      const redacted = redact(line);
      if (redacted !== line) changed++;
      for (const by of [1, 5, 9]) expect(redact(rotate(line, by)), line).toBe(rotate(redacted, by));
    }
    expect(changed).toBeGreaterThan(4);
  });

  it('leaves lease and timeout lines alone', () => {
    const line =
      'E0401 09:12:20.000100       1 leaderelection.go:367] Failed to update lock: Put "https://10.152.183.1:443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/csi-nfs?timeout=5s": context deadline exceeded';
    expect(redact(line)).toBe(line);
  });

  // Each pattern runs only when the line has what the pattern needs: a secret that just meets the
  // need is still redacted, and a line with a hint word but without the need is left alone.
  const needs: [string, string, string, string][] = [
    [
      'a PEM key',
      'ssh: -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA',
      'ssh: [redacted private key]',
      'loaded private key from /etc/kubernetes/pki/sa.key',
    ],
    [
      'a JWT',
      'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
      'jwt [redacted token]',
      'cache keyJwtAbcdefgh.abcdefghij.xyz',
    ],
    ['an AWS key id', 'AKIAIOSFODNN7EXAMPLE used', '[redacted token] used', 'zone Asia/Tokyo'],
    [
      'a Slack webhook',
      'POST https://hooks.slack.com/services/T0/B0/XYZ ok',
      'POST https://hooks.slack.com/services/[redacted] ok',
      'see hooks.slack.com docs',
    ],
    [
      'a Discord webhook',
      'https://discord.com/api/webhooks/123/abc',
      'https://discord.com/api/webhooks/[redacted]',
      'webhook at discord.com timed out',
    ],
    [
      'a webhook path',
      'POST /webhooks/abcdefghijklmnop0123 202',
      'POST /webhooks/[redacted] 202',
      'calling webhook "validate.kyverno.svc" failed',
    ],
    [
      'a Basic credential',
      'using Basic dXNlcjpwYXNzd29yZA==',
      'using Basic [redacted]',
      'basic auth disabled',
    ],
    ['a cookie', 'Set-Cookie: session=abc; Path=/', 'Set-Cookie: [redacted]', 'cookie jar reset'],
    [
      'an Authorization header',
      '"Authorization": "Digest abc"',
      '"Authorization": "[redacted]',
      'authorization failed for user bob',
    ],
    [
      'a password in a URL',
      'GET https://u:p4ss@h.io/x',
      'GET https://u:[redacted]@h.io/x',
      // An `@` with a colon before it, but a quote between them (etcd's client in JSON).
      '"caller":"v3@v3.6.4/retry_interceptor.go:65"',
    ],
    [
      'a password in an image reference',
      'pulling bob:s3cret@registry.example.com/app',
      'pulling bob:[redacted]@registry.example.com/app',
      'mail from bob@example.com at 10:00',
    ],
    [
      'a secret flag',
      'args ["--token", "abc"]',
      'args ["--token", "[redacted]"]',
      'token refreshed for --user admin',
    ],
    ['an env-style name', 'PGPASSWORD hunter2', 'PGPASSWORD [redacted]', 'set PASSWORD_FILE=/run/secrets/db'],
    [
      "mysql's -p",
      'mysql -u root -pS3cret db',
      'mysql -u root -p[redacted] db',
      'MySQL server has gone away',
    ],
    [
      'a key name',
      'api-key: abc123',
      'api-key: [redacted]',
      // An apiserver trace's storage key: a hint word, but no secret's name before it.
      'Trace[1235800055]: ["GuaranteedUpdate etcd3" audit-id:83c4017bce1a,key:/endpointslices/kube-system/obj-2596,type:*coordination.Lease',
    ],
    [
      'a random value after token',
      'token a1b2c3d4e5f6a7b8c9d0e1f2',
      'token [redacted]',
      'monkey a1b2c3d4e5f6a7b8c9d0e1f2',
    ],
  ];
  for (const [what, secret, redacted, nearMiss] of needs) {
    it(`redacts ${what} and leaves its near miss alone`, () => {
      expect(redact(secret)).toBe(redacted);
      expect(redact(nearMiss)).toBe(nearMiss);
    });
  }

  it('knows secret-looking variable names', () => {
    expect(
      ['KUBE_API_TOKEN', 'DB_PASSWORD', 'AWS_SECRET_ACCESS_KEY', 'REGISTRY_AUTH'].every(isSecretName),
    ).toBe(true);
    expect(['ENABLED_CONTROLLERS', 'DATASTORE_TYPE'].some(isSecretName)).toBe(false);
  });
});

describe('lineRedactor (a file shown line by line, as in an excerpt)', () => {
  const shown = (text: string) => text.split('\n').map(lineRedactor());

  it('hides every line of a PEM private key, not only its first', () => {
    expect(
      shown(
        'before\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq\nhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\nafter',
      ),
    ).toEqual([
      'before',
      '[redacted private key]',
      '[redacted private key]',
      '[redacted private key]',
      '[redacted private key]',
      'after',
    ]);
  });

  it("hides an env value on the line after its secret-looking name, in kubectl's JSON and YAML", () => {
    expect(
      shown(
        '          {\n            "name": "DB_PASSWORD",\n            "value": "hunter2"\n          },\n          {\n            "name": "LOG_LEVEL",\n            "value": "debug"\n          }',
      ),
    ).toEqual([
      '          {',
      '            "name": "DB_PASSWORD",',
      '            "value": [redacted]',
      '          },',
      '          {',
      '            "name": "LOG_LEVEL",',
      '            "value": "debug"',
      '          }',
    ]);
    expect(shown('    - name: API_KEY\n      value: abc123\n    - name: MODE\n      value: fast')).toEqual([
      '    - name: API_KEY',
      '      value: [redacted]',
      '    - name: MODE',
      '      value: fast',
    ]);
  });

  it("hides the entries of a data map (a Secret's kind comes after its data in kubectl's JSON)", () => {
    expect(
      shown(
        '    {\n      "apiVersion": "v1",\n      "data": {\n        "tls.crt": "LS0tLS1CRUdJTg==",\n        "tls.key": "TUlJRXZRSUJBREFO"\n      },\n      "kind": "Secret",',
      ),
    ).toEqual([
      '    {',
      '      "apiVersion": "v1",',
      '      "data": {',
      '        "tls.crt": [redacted],',
      '        "tls.key": [redacted]',
      '      },',
      '      "kind": "Secret",',
    ]);
    expect(shown('data:\n  password: aHVudGVyMg==\n  user: YWRtaW4=\nkind: Secret')).toEqual([
      'data:',
      '  password: [redacted]',
      '  user: [redacted]',
      'kind: Secret',
    ]);
  });
});
