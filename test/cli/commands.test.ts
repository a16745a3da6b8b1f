import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands/index.js';

const commandsDir = fileURLToPath(new URL('../../src/cli/commands/', import.meta.url));

describe('command registry', () => {
  it('lists every command module in src/cli/commands', () => {
    const files = readdirSync(commandsDir).filter(
      (f) => f.endsWith('.ts') && f !== 'index.ts' && !f.startsWith('_'),
    );
    const registered = commands.map((c) => String(c.command).split(' ')[0]);
    for (const file of files) {
      const name = file.replace(/\.ts$/, '');
      expect(registered, `${file} is not registered in commands/index.ts`).toContain(name);
    }
  });
});
