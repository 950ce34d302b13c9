/**
 * `cdaas-preflight` (`npx cdaas-preflight` in the repository, `node main.cjs preflight` in the
 * image): every system requirement checked from where the bridge runs, reading the bridge's own
 * configuration (BRIDGE_CONFIG_FILE and the environment).
 *
 * Exit codes: 0 nothing failed (warnings allowed), 1 a check failed, 2 bad usage or configuration.
 */
import { parseArgs } from 'node:util';

import { PREFLIGHT_GROUPS, type PreflightGroup } from '@cdaas/contract/preflight';
import { ConfigError, loadConfig } from '../config/config';
import { formatTable } from './format';
import { type PreflightOptions, runPreflight } from './run';

export const USAGE = `usage: cdaas-preflight [--json] [--only <group>[,<group>]] [--spinnaker-config <file>]...
  groups: ${PREFLIGHT_GROUPS.join(', ')}
  configuration: the bridge's (BRIDGE_CONFIG_FILE and CDAAS_* / BRIDGE_* / PREFLIGHT_* variables)`;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
  color?: boolean;
  /** Test hooks passed to the run (CA trust, plugin identity). */
  overrides?: Partial<PreflightOptions>;
}

export async function preflightCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.filter((a) => a !== '--'),
      allowPositionals: false,
      options: {
        json: { type: 'boolean', default: false },
        only: { type: 'string', multiple: true },
        'spinnaker-config': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    io.err(`cdaas-preflight: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(USAGE);
    return 0;
  }
  const only = (parsed.values.only ?? []).flatMap((o) => o.split(',')).map((o) => o.trim()).filter(Boolean);
  const unknown = only.filter((g) => !(PREFLIGHT_GROUPS as readonly string[]).includes(g));
  if (unknown.length) {
    io.err(`cdaas-preflight: --only: unknown group ${unknown.join(', ')} (groups: ${PREFLIGHT_GROUPS.join(', ')})`);
    return 2;
  }
  let config;
  try {
    config = loadConfig(io.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(`cdaas-preflight: the bridge configuration is invalid:\n  - ${err.problems.join('\n  - ')}`);
      return 2;
    }
    throw err;
  }
  const answer = await runPreflight({
    config,
    env: io.env,
    only: only as PreflightGroup[],
    spinnakerConfigFiles: parsed.values['spinnaker-config'] ?? [],
    ...io.overrides,
  });
  io.out(parsed.values.json ? JSON.stringify(answer, null, 2) : formatTable(answer, { color: io.color }));
  return answer.summary.fail ? 1 : 0;
}
