import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { Argv } from 'yargs';
import { HowchainError, UsageError } from '../../errors.js';
import { printJson, warn } from '../output.js';
import { checkAnalysisArgs, withAnalysisOptions, type AnalysisArgs } from './_analysis-options.js';
import { INGEST_LIMITS, limitsFrom, withLimitOptions } from './_limit-options.js';
import type { CommandBody } from './index.js';

interface ServeArgs extends AnalysisArgs {
  case?: string;
  template?: string;
  port: number;
  host: string;
  'allow-remote': boolean;
  'max-upload-mb': number;
  json: boolean;
}

/**
 * Where `serve` keeps its case when no --case is given: the user's data folder (XDG Base Directory:
 * $XDG_DATA_HOME, else ~/.local/share), never the working folder — started in a repository, a case
 * and its uploaded evidence would otherwise land among the sources.
 */
export function defaultCasePath(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.XDG_DATA_HOME && isAbsolute(env.XDG_DATA_HOME)
      ? env.XDG_DATA_HOME
      : join(homedir(), '.local', 'share');
  return join(base, 'howchain', 'case.db');
}

const defaultCaseShown = '$XDG_DATA_HOME/howchain/case.db or ~/.local/share/howchain/case.db';

export const serveCommand: CommandBody<ServeArgs> = {
  builder: (yargs) =>
    withAnalysisOptions(withLimitOptions(yargs as Argv<object>, INGEST_LIMITS))
      .option('case', {
        type: 'string',
        describe: `Case database, created on the first upload (default: ${defaultCaseShown})`,
      })
      .option('template', {
        type: 'string',
        describe: 'Folder with pir.md.hbs and/or partials/*.hbs to use instead of the defaults',
      })
      .option('port', { type: 'number', default: 7474, describe: 'Port; 0 picks a free one' })
      .option('host', {
        type: 'string',
        default: '127.0.0.1',
        describe: 'Address to listen on; anything but loopback needs --allow-remote',
      })
      .option('allow-remote', {
        type: 'boolean',
        default: false,
        describe: 'Allow a --host that is not loopback: the evidence becomes reachable from the network',
      })
      .option('max-upload-mb', { type: 'number', default: 2048, describe: 'Largest upload in MiB' })
      .example('$0 serve', `the case in ${defaultCaseShown}; open http://127.0.0.1:7474/`)
      .example(
        '$0 serve --case incident.db --tz Australia/Brisbane',
        'a case of its own; times without a zone read as Brisbane',
      )
      .epilogue(
        'Uploads are kept in <case>.evidence/ next to the case. Stop with Ctrl-C. Docs: docs/serve.md',
      ) as unknown as Argv<ServeArgs>,
  handler: async (args) => {
    const port = args.port;
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port ${port}: not a port number`);
    const maxMb = args['max-upload-mb'];
    if (!(maxMb > 0)) throw new UsageError(`--max-upload-mb ${maxMb}: must be more than 0`);
    checkAnalysisArgs(args);
    const limits = limitsFrom(args, INGEST_LIMITS);
    if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(args.host)) {
      if (!args['allow-remote'])
        throw new UsageError(
          `--host ${args.host} would let anyone who can reach it read the evidence; add --allow-remote if that is meant`,
        );
      // Bound to every address, no one name is the server's: the Host check cannot narrow it (server.ts).
      const everywhere = ['0.0.0.0', '::', '[::]'].includes(args.host);
      warn(
        `serving on ${args.host}: anyone who can reach it can read and upload evidence; ${everywhere ? 'on every address, by any host name' : `requests must still name ${args.host}`}`,
      );
    }
    const { checkTimeOptions } = await import('../../bundle/ingest.js');
    checkTimeOptions(args);
    if (args.template && !existsSync(args.template))
      throw new UsageError(`--template: no such folder: ${args.template}`);
    const { resolve, dirname } = await import('node:path');
    const { startServer } = await import('../../serve/server.js');
    const { pipelineEngine } = await import('../../serve/engine.js');
    const casePath = resolve(args.case ?? defaultCasePath());
    // The user's data folder may not exist yet; a --case folder they named must.
    if (args.case === undefined) mkdirSync(dirname(casePath), { recursive: true, mode: 0o700 });
    let server;
    try {
      server = await startServer({
        casePath,
        engine: await pipelineEngine({
          renewDeadlineSeconds: args['renew-deadline'],
          seed: args.seed,
          permutations: args.permutations,
          limits,
          ...(args.year !== undefined ? { year: args.year } : {}),
          ...(args.tz !== undefined ? { tz: args.tz } : {}),
          ...(args.template ? { templateDir: args.template } : {}),
        }),
        host: args.host,
        port,
        maxUploadBytes: Math.floor(maxMb * 1024 * 1024),
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE')
        throw new HowchainError(`port ${port} on ${args.host} is in use; choose another with --port`);
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
        throw new UsageError(`--host ${args.host}: not an address of this machine`);
      throw error;
    }
    const evidence = server.workspace.evidence.root;
    if (args.json) await printJson({ url: server.url, case: casePath, evidence });
    else
      process.stdout.write(
        `howchain serve: ${server.url}\n  case ${casePath}\n  uploads kept in ${evidence}\n`,
      );
    const running = server;
    await new Promise<void>((done) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void running.close().then(done, done);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  },
};
