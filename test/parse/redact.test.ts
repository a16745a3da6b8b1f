import { describe, expect, it } from 'vitest';
import { isSecretName, redact } from '../../src/parse/redact.js';

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
    [
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----',
      '[redacted private key]',
    ],
  ];
  for (const [input, output] of cases) it(input.slice(0, 40), () => expect(redact(input)).toBe(output));

  it('leaves lease and timeout lines alone', () => {
    const line =
      'E0401 09:12:20.000100       1 leaderelection.go:367] Failed to update lock: Put "https://10.152.183.1:443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/csi-nfs?timeout=5s": context deadline exceeded';
    expect(redact(line)).toBe(line);
  });

  it('knows secret-looking variable names', () => {
    expect(
      ['KUBE_API_TOKEN', 'DB_PASSWORD', 'AWS_SECRET_ACCESS_KEY', 'REGISTRY_AUTH'].every(isSecretName),
    ).toBe(true);
    expect(['ENABLED_CONTROLLERS', 'DATASTORE_TYPE'].some(isSecretName)).toBe(false);
  });
});
