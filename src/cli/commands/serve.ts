import type { Argv, CommandModule } from 'yargs';
import { HowchainError, UsageError } from '../../errors.js';
import { printJson } from '../output.js';

interface ServeArgs {
  case: string;
  port: number;
  host: string;
  'max-upload-mb': number;
  json: boolean;
}

export const serveCommand: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe: 'Local offline web UI: upload evidence, read the PIR draft and its pictures',
  builder: (yargs) =>
    (yargs as Argv<object>)
      .option('case', {
        type: 'string',
        default: 'case.db',
        describe: 'Case database (created on the first upload)',
      })
      .option('port', { type: 'number', default: 7474, describe: 'Port; 0 picks a free one' })
      .option('host', {
        type: 'string',
        default: '127.0.0.1',
        describe: 'Address to listen on; anything but loopback exposes the evidence to the network',
      })
      .option('max-upload-mb', { type: 'number', default: 2048, describe: 'Largest upload in MiB' })
      .example('$0 serve --case incident.db', 'then open http://127.0.0.1:7474/')
      .epilogue(
        'Uploads are kept in <case>.evidence/ next to the case. Stop with Ctrl-C. Docs: docs/serve.md',
      ) as unknown as Argv<ServeArgs>,
  handler: async (args) => {
    const port = args.port;
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port ${port}: not a port number`);
    const maxMb = args['max-upload-mb'];
    if (!(maxMb > 0)) throw new UsageError(`--max-upload-mb ${maxMb}: must be more than 0`);
    const { resolve } = await import('node:path');
    const { startServer } = await import('../../serve/server.js');
    const { pipelineEngine } = await import('../../serve/engine.js');
    const casePath = resolve(args.case);
    let server;
    try {
      server = await startServer({
        casePath,
        engine: await pipelineEngine(),
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
    if (args.json) printJson({ url: server.url, case: casePath, evidence });
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
