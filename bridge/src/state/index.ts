/** The store the config names: memory (the default) or Redis. */
import type { BridgeConfig } from '../config/config';
import type { Logger } from '../observability/log';
import { MemoryStateStore } from './memoryStore';
import { RedisStateStore } from './redisStore';
import type { StateStore } from './types';

export function createStateStore(config: BridgeConfig['state'], logger: Logger, now?: () => number): StateStore {
  if (config.store === 'memory' || !config.redis) return new MemoryStateStore({ entryTtlMs: config.entryTtlMs, now });
  const r = config.redis;
  return new RedisStateStore({
    url: r.url,
    username: r.username,
    password: r.password,
    tls: r.tls,
    keyPrefix: r.keyPrefix,
    commandTimeoutMs: r.commandTimeoutMs,
    entryTtlMs: config.entryTtlMs,
    now,
    onState: (state, detail) => (state === 'ready' ? logger.info('state store connected', { store: 'redis' }) : logger.warn('state store unreachable', { store: 'redis', error: detail })),
  });
}

export type { DeploymentLedger, LedgerEntry, StateStore } from './types';
