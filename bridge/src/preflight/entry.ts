/** The process around the preflight CLI: real stdout/stderr and environment, and the exit code. */
import { preflightCli } from './cli';

export function runPreflightProcess(argv: string[]): void {
  preflightCli(argv, {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
    color: process.stdout.isTTY === true && !process.env.NO_COLOR,
  }).then(
    // Exit once the output is flushed: idle keep-alive sockets must not hold the process open.
    (code) => process.stdout.write('', () => process.exit(code)),
    (err: unknown) => {
      process.stderr.write(`cdaas-preflight: ${err instanceof Error ? err.message : String(err)}\n`, () => process.exit(1));
    },
  );
}
