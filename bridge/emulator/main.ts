/**
 * CLI: run the CD-as-a-Service emulator until SIGINT/SIGTERM.
 *
 *   npx tsx bridge/emulator/main.ts [--host 127.0.0.1] [--auth-port 9010] [--api-port 9011]
 *                                   [--step-interval-ms 2000] [--token-ttl-seconds 86400]
 *                                   [--seed default|scale]   (or env CDAAS_EMULATOR_SEED)
 */
import { parseArgs } from 'node:util';
import { CONTROL_PREFIX, seedFromEnv, startEmulator } from './index.js';

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: main.ts [--host H] [--auth-port N] [--api-port N] [--step-interval-ms N] [--token-ttl-seconds N] [--seed default|scale]\n`,
  );
  process.exit(2);
}

function intOption(values: Record<string, string | boolean | undefined>, name: string, min: number): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(n) || n < min) usage(`--${name}: expected an integer >= ${min}, got ${String(raw)}`);
  return n;
}

async function main(): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        host: { type: 'string' },
        'auth-port': { type: 'string' },
        'api-port': { type: 'string' },
        'step-interval-ms': { type: 'string' },
        'token-ttl-seconds': { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    usage(e instanceof Error ? e.message : String(e));
  }
  if (values.help) usage('CD-as-a-Service emulator (auth server + REST API) for tests and the sandbox.');

  let seed: ReturnType<typeof seedFromEnv>;
  try {
    seed = typeof values.seed === 'string' ? seedFromEnv({ CDAAS_EMULATOR_SEED: values.seed }) : seedFromEnv(process.env);
  } catch (e) {
    usage(e instanceof Error ? e.message.replace('CDAAS_EMULATOR_SEED', '--seed / CDAAS_EMULATOR_SEED') : String(e));
  }
  const emulator = await startEmulator({
    seed,
    host: typeof values.host === 'string' ? values.host : undefined,
    authPort: intOption(values, 'auth-port', 0),
    apiPort: intOption(values, 'api-port', 0),
    stepIntervalMs: intOption(values, 'step-interval-ms', 0),
    tokenTtlSeconds: intOption(values, 'token-ttl-seconds', 1),
  });
  const client = emulator.clients[0]!;
  process.stdout.write(
    [
      'CD-as-a-Service emulator is running (emulator only: not Armory\'s service)',
      `  issuer        ${emulator.issuer}`,
      `  token URL     ${emulator.tokenUrl}`,
      `  API URL       ${emulator.apiUrl}`,
      `  audience      ${emulator.audience}`,
      `  seed          ${seed === 'scale' ? 'scale (50 agents, 10,000 replica sets)' : 'default (see bridge/emulator/README.md)'}`,
      `  client ID     ${client.clientId}`,
      `  client secret ${client.clientSecret}`,
      '                (a throwaway credential that only this emulator accepts; printed on purpose)',
      `  control API   ${emulator.apiUrl}${CONTROL_PREFIX}/{faults,stats,pipelines/<id>/approve} (no auth, emulator only)`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping the emulator\n`);
    emulator.close().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`error while stopping: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`emulator failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
