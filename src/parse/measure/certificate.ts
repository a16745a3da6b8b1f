/**
 * Certificates in the bundle, read with node's crypto.X509Certificate: PEM files (`ca.crt`,
 * `server.crt`, `kubelet-client-current.pem`, which also holds the key) and kubeconfigs
 * (`certificate-authority-data`, `client-certificate-data`, base64 PEM). Only the certificate fields
 * are kept — subject, issuer, validity — never key material: a PRIVATE KEY block is skipped unread.
 * An empty kubeconfig field or a PEM file without a certificate (what a full disk leaves behind) is a
 * fact with `empty: true`, so a detector can name it.
 */
import { X509Certificate } from 'node:crypto';
import type { CertificateFact } from '../../types/index.js';
import type { FileResult } from '../file.js';
import { yaml } from '../../lazy-packages.js';

const BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

function oneLine(name: string): string {
  return name.split('\n').join(', ');
}

function read(pem: string, where: string, file: string, line: number): CertificateFact | string {
  try {
    const certificate = new X509Certificate(pem);
    return {
      kind: 'certificate',
      file,
      line,
      sha256: '',
      subject: oneLine(certificate.subject),
      issuer: oneLine(certificate.issuer),
      notBefore: new Date(certificate.validFrom).toISOString(),
      notAfter: new Date(certificate.validTo).toISOString(),
      where,
    };
  } catch (error) {
    return `${where}: not a readable certificate (${error instanceof Error ? error.message : String(error)})`;
  }
}

function emptyFact(where: string, file: string, line: number): CertificateFact {
  return {
    kind: 'certificate',
    file,
    line,
    sha256: '',
    subject: '',
    issuer: '',
    notBefore: '',
    notAfter: '',
    where,
    empty: true,
  };
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at >= 0 && at < index; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

export function parsePem(text: string, file: string): Partial<FileResult> {
  const facts: CertificateFact[] = [];
  const problems: string[] = [];
  let block = 0;
  for (const match of text.matchAll(BLOCK)) {
    block++;
    const fact = read(match[0], `pem block ${block}`, file, lineOf(text, match.index ?? 0));
    if (typeof fact === 'string') problems.push(fact);
    else facts.push(fact);
  }
  if (block === 0) facts.push(emptyFact('pem file without a certificate', file, 1));
  return { facts, problems };
}

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (value && typeof value === 'object' ? (value as Json) : {});
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.map(obj) : []);

const FIELDS: { section: 'clusters' | 'users'; inner: 'cluster' | 'user'; key: string }[] = [
  { section: 'clusters', inner: 'cluster', key: 'certificate-authority-data' },
  { section: 'users', inner: 'user', key: 'client-certificate-data' },
];

export function parseKubeconfig(text: string, file: string): Partial<FileResult> {
  const facts: CertificateFact[] = [];
  const problems: string[] = [];
  for (const document of yaml().parseAllDocuments(text)) {
    const config = obj(document.toJSON());
    if (config.kind !== 'Config') continue;
    for (const { section, inner, key } of FIELDS) {
      for (const entry of list(config[section])) {
        const body = obj(entry[inner]);
        if (!(key in body)) continue;
        const where = `kubeconfig ${inner} ${String(entry.name ?? '?')} (${key})`;
        const line = lineOf(text, Math.max(0, text.indexOf(key)));
        const data = typeof body[key] === 'string' ? (body[key] as string).trim() : '';
        if (!data) {
          facts.push(emptyFact(where, file, line));
          continue;
        }
        const pem = Buffer.from(data, 'base64').toString('utf8');
        const blocks = pem.match(BLOCK);
        if (!blocks) {
          facts.push(emptyFact(where, file, line));
          continue;
        }
        const fact = read(blocks[0], where, file, line);
        if (typeof fact === 'string') problems.push(fact);
        else facts.push(fact);
      }
    }
  }
  return { facts, problems };
}
