import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * The UI's static files, shipped in the package (src/serve/assets is in package.json "files") so the
 * page works on an air-gapped laptop. Both src/serve/ and dist/serve/ sit two levels below the package
 * root. Only the names listed here are served: a URL never becomes a file path.
 */
const assetsDir = new URL('../../src/serve/assets/', import.meta.url);

const assets: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

export async function readAsset(name: string): Promise<{ body: Buffer; contentType: string } | null> {
  const contentType = Object.hasOwn(assets, name) ? assets[name] : undefined;
  if (contentType === undefined) return null;
  return { body: await readFile(fileURLToPath(new URL(name, assetsDir))), contentType };
}
