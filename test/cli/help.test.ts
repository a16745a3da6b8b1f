import { describe, expect, it } from 'vitest';
import { howchain } from './_howchain.js';

describe('help', () => {
  it.each([
    ['ingest', 'howchain ingest <bundles..>'],
    ['verify', 'howchain verify <bundle>'],
    ['events', 'howchain events <paths..>'],
    ['correlate', 'howchain correlate <input>'],
    ['analyze', 'howchain analyze <bundles..>'],
    ['serve', 'howchain serve'],
    ['snapshot inspect', 'howchain snapshot inspect <file>'],
    ['snapshot diff', 'howchain snapshot diff <before> <after>'],
    ['snapshot extract', 'howchain snapshot extract <file>'],
  ])('%s --help: its own usage line and examples of it', async (command, usage) => {
    const { code, stdout } = await howchain(...command.split(' '), '--help');
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe(usage);
    const examples = stdout.slice(stdout.indexOf('\nExamples:\n'));
    expect(examples.length, `${command} --help has no examples`).toBeGreaterThan(12);
    expect(examples).toContain(`howchain ${command} `);
  });

  it('snapshot alone names its three commands', async () => {
    const { code, stderr } = await howchain('snapshot');
    expect(code).toBe(2);
    expect(stderr).toContain('Name one: snapshot inspect | diff | extract');
  });

  it('completion prints a bash script; the completer lists commands and options', async () => {
    const script = await howchain('completion');
    expect(script.code).toBe(0);
    expect(script.stdout).toContain(
      'complete -o bashdefault -o default -F _howchain_yargs_completions howchain',
    );
    const commands = await howchain('--get-yargs-completions', 'howchain', '');
    expect(commands.stdout.split('\n')).toEqual(
      expect.arrayContaining(['snapshot', 'events', 'analyze', 'serve']),
    );
    const options = await howchain('--get-yargs-completions', 'howchain', 'events', '--');
    expect(options.stdout.split('\n')).toEqual(
      expect.arrayContaining(['--kind', '--since', '--until', '--grep']),
    );
  });
});
