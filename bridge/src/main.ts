/**
 * CLI entry: `npx tsx bridge/src/main.ts` (or `node build/bridge/main.cjs`). Reads the
 * configuration from BRIDGE_CONFIG_FILE and the environment, refuses to start on a bad setting
 * (exit 2, naming it), and shuts down cleanly on SIGTERM (Kubernetes) and SIGINT.
 * `main.cjs preflight [...]` runs the preflight checks instead (see preflight/cli.ts).
 */
import { ConfigError, loadConfig, startBridge } from './index';
import { runPreflightProcess } from './preflight/entry';

// A closed stdout (a log pipe gone away) must not take the service down with EPIPE.
process.stdout.on('error', () => undefined);

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'refusing to start', problems: err.problems }) + '\n');
      process.exit(2);
    }
    throw err;
  }
  const bridge = await startBridge(config, { defaultMetrics: true });
  const stop = (signal: string) => {
    process.stdout.write(JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'shutting down', signal }) + '\n');
    bridge.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

if (process.argv[2] === 'preflight') runPreflightProcess(process.argv.slice(3));
else
  main().catch((err: unknown) => {
    process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'bridge failed to start', error: err instanceof Error ? err.message : String(err) }) + '\n');
    process.exit(1);
  });
