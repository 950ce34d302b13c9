/**
 * The shared store: Redis, which every Spinnaker installation already runs (Gate's sessions,
 * often Orca's queue). Keys, under the configured prefix:
 *
 *   dep:{exec}/{ref}      hash: record (JSON), pipelineId, lastStatus, updatedAt   (expires: a day)
 *   pipe:{pipelineId}     {exec}/{ref}, for status reads that know only the pipeline id
 *   claim:{exec}/{ref}    the start claim (SET NX PX): single-flight across replicas
 *   unknown:{exec}/{ref}  a start whose answer was lost (JSON)
 *   app:{application}     sorted set of {exec}/{ref} by start time, expiring with the entries
 *   all                   the same over every application
 *   audit:{pipelineId}    list of JSON entries
 *
 * `/` cannot occur in an execution id or refId (the listener's path parameter rule), so
 * `{exec}/{ref}` is unambiguous. Commands fail fast while disconnected (no offline queue): a start
 * must answer 503 rather than wait on a dead Redis, and ioredis reconnects by itself.
 */
import { randomUUID } from 'node:crypto';

import { Redis, type RedisOptions } from 'ioredis';

import type { PipelineStatus } from '@cdaas/contract/deploy';
import {
  type DeploymentRecord,
  type Json,
  type LedgerEntry,
  type StateStore,
  type StoreHealth,
  type UnknownOutcome,
  DEFAULT_ENTRY_TTL_MS,
  StoreUnavailableError,
} from './types';

export interface RedisStoreOptions {
  url: string;
  username?: string;
  password?: string;
  tls?: { ca?: string; servername?: string };
  keyPrefix: string;
  commandTimeoutMs?: number;
  entryTtlMs?: number;
  now?: () => number;
  /** Connection state changes (logged by the caller; never carries the password). */
  onState?: (state: 'ready' | 'down', detail?: string) => void;
}

const keyOf = (executionId: string, stageRefId: string) => `${executionId}/${stageRefId}`;

// Deletes the claim only if it is still ours: an expired claim re-taken by another replica stays.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
// Updates the status only when the entry is still the one for this pipeline (a later start for
// the same stage replaces it).
const RECORD_STATUS = `if redis.call('HGET', KEYS[1], 'pipelineId') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'lastStatus', ARGV[2], 'updatedAt', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1`;

// A start's first look: the lost-answer marker, else the record, else the claim (SET NX PX),
// atomically with seeing no record. KEYS: unknown, dep, claim. ARGV: token, ttl.
const INSPECT = `local u = redis.call('GET', KEYS[1])
if u then return {'unknown', u} end
local r = redis.call('HGETALL', KEYS[2])
if #r > 0 then return {'record', r} end
if redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[2], 'NX') then return {'claim', ARGV[1]} end
return {'held'}`;

export class RedisStateStore implements StateStore {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;
  private readonly now: () => number;
  private readonly ttl: number;
  private lastError = 'not connected yet';

  constructor(opts: RedisStoreOptions) {
    this.now = opts.now ?? Date.now;
    this.ttl = opts.entryTtlMs ?? DEFAULT_ENTRY_TTL_MS;
    const options: RedisOptions = {
      keyPrefix: opts.keyPrefix,
      username: opts.username,
      password: opts.password,
      ...(opts.tls || opts.url.startsWith('rediss:') ? { tls: { ...opts.tls } } : {}),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: opts.commandTimeoutMs ?? 2_000,
      connectTimeout: opts.commandTimeoutMs ?? 2_000,
      // Reconnect forever, at most every 2 s: recovering Redis needs no bridge restart.
      retryStrategy: (times) => Math.min(2_000, 50 * 2 ** Math.min(times, 6)),
    };
    this.redis = new Redis(opts.url, options);
    this.redis.on('ready', () => {
      this.lastError = '';
      opts.onState?.('ready');
    });
    // Without a listener ioredis reports every failed reconnect as an unhandled error.
    this.redis.on('error', (err: Error) => {
      const was = this.lastError;
      this.lastError = err.message;
      if (was !== err.message) opts.onState?.('down', err.message);
    });
    this.redis.on('end', () => (this.lastError ||= 'connection closed'));
  }

  private async run<T>(operation: string, fn: (r: Redis) => Promise<T>): Promise<T> {
    try {
      return await fn(this.redis);
    } catch (err) {
      throw new StoreUnavailableError(operation, err);
    }
  }

  claim(executionId: string, stageRefId: string, ttlMs: number): Promise<string | undefined> {
    const token = randomUUID();
    return this.run('claim', async (r) => ((await r.set(`claim:${keyOf(executionId, stageRefId)}`, token, 'PX', ttlMs, 'NX')) === 'OK' ? token : undefined));
  }

  release(executionId: string, stageRefId: string, token: string): Promise<void> {
    return this.run('release', async (r) => void (await r.eval(RELEASE, 1, `claim:${keyOf(executionId, stageRefId)}`, token)));
  }

  claimed(executionId: string, stageRefId: string): Promise<boolean> {
    return this.run('claimed', async (r) => (await r.exists(`claim:${keyOf(executionId, stageRefId)}`)) === 1);
  }

  get(executionId: string, stageRefId: string): Promise<DeploymentRecord | undefined> {
    return this.run('get', async (r) => parseRecord(await r.hgetall(`dep:${keyOf(executionId, stageRefId)}`)));
  }

  inspect(executionId: string, stageRefId: string, claimTtlMs: number): Promise<{ unknown?: UnknownOutcome; record?: DeploymentRecord; claim?: string }> {
    const key = keyOf(executionId, stageRefId);
    return this.run('inspect', async (r) => {
      const [what, value] = (await r.eval(INSPECT, 3, `unknown:${key}`, `dep:${key}`, `claim:${key}`, randomUUID(), String(claimTtlMs))) as [string, string | string[] | undefined];
      if (what === 'unknown') return { unknown: JSON.parse(value as string) as UnknownOutcome };
      if (what === 'record') {
        const flat = value as string[];
        const hash: Record<string, string> = {};
        for (let i = 0; i < flat.length; i += 2) hash[flat[i]] = flat[i + 1];
        return { record: parseRecord(hash) };
      }
      return what === 'claim' ? { claim: value as string } : {};
    });
  }

  put(record: DeploymentRecord, releaseClaim?: string): Promise<void> {
    const key = keyOf(record.executionId, record.stageRefId);
    const { lastStatus: _s, updatedAt: _u, ...fixed } = record;
    const now = this.now();
    return this.run('put', async (r) => {
      const m = r.multi();
      // One round trip for record and release: a start pays two (inspect, put) in all.
      if (releaseClaim) m.eval(RELEASE, 1, `claim:${key}`, releaseClaim);
      m.del(`dep:${key}`);
      m.hset(`dep:${key}`, { record: JSON.stringify(fixed), pipelineId: record.pipelineId, updatedAt: String(record.updatedAt), ...(record.lastStatus ? { lastStatus: record.lastStatus } : {}) });
      m.pexpire(`dep:${key}`, this.ttl);
      m.set(`pipe:${record.pipelineId}`, key, 'PX', this.ttl);
      for (const index of [`app:${record.application}`, 'all']) {
        m.zadd(index, record.startedAt, key);
        m.zremrangebyscore(index, '-inf', now - this.ttl);
        m.pexpire(index, this.ttl);
      }
      await execOrThrow(m);
    });
  }

  recordStatus(pipelineId: string, status: PipelineStatus, at: number): Promise<void> {
    return this.run('recordStatus', async (r) => {
      const key = await r.get(`pipe:${pipelineId}`);
      if (key) await r.eval(RECORD_STATUS, 1, `dep:${key}`, pipelineId, status, String(at), String(this.ttl));
    });
  }

  getUnknown(executionId: string, stageRefId: string): Promise<UnknownOutcome | undefined> {
    return this.run('getUnknown', async (r) => {
      const text = await r.get(`unknown:${keyOf(executionId, stageRefId)}`);
      return text ? (JSON.parse(text) as UnknownOutcome) : undefined;
    });
  }

  putUnknown(outcome: UnknownOutcome, ttlMs: number): Promise<void> {
    return this.run('putUnknown', async (r) => void (await r.set(`unknown:${keyOf(outcome.executionId, outcome.stageRefId)}`, JSON.stringify(outcome), 'PX', ttlMs)));
  }

  appendAudit(pipelineId: string, entry: Json): Promise<void> {
    return this.run('appendAudit', async (r) => {
      await execOrThrow(r.multi().rpush(`audit:${pipelineId}`, JSON.stringify(entry)).pexpire(`audit:${pipelineId}`, this.ttl));
    });
  }

  listAudit(pipelineId: string): Promise<Json[]> {
    return this.run('listAudit', async (r) => (await r.lrange(`audit:${pipelineId}`, 0, -1)).map((s) => JSON.parse(s) as Json));
  }

  listByApplication(application: string): Promise<LedgerEntry[]> {
    return this.list(`app:${application}`, (e) => e.application === application);
  }

  listAll(): Promise<LedgerEntry[]> {
    return this.list('all', () => true);
  }

  private list(index: string, keep: (e: LedgerEntry) => boolean): Promise<LedgerEntry[]> {
    return this.run('list', async (r) => {
      const keys = await r.zrevrangebyscore(index, '+inf', this.now() - this.ttl);
      if (!keys.length) return [];
      const p = r.pipeline();
      for (const k of keys) p.hgetall(`dep:${k}`);
      const out: LedgerEntry[] = [];
      for (const [err, hash] of (await p.exec()) ?? []) {
        if (err) throw err;
        const record = parseRecord(hash as Record<string, string>);
        if (!record) continue;
        const { warnings: _w, ...entry } = record;
        if (keep(entry)) out.push(entry);
      }
      return out;
    });
  }

  health(): StoreHealth {
    return this.redis.status === 'ready' ? { kind: 'redis', ok: true } : { kind: 'redis', ok: false, reason: `Redis ${this.redis.status}${this.lastError ? `: ${this.lastError}` : ''}` };
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

async function execOrThrow(m: ReturnType<Redis['multi']>): Promise<void> {
  const results = await m.exec();
  if (!results) throw new Error('transaction aborted');
  for (const [err] of results) if (err) throw err;
}

function parseRecord(hash: Record<string, string>): DeploymentRecord | undefined {
  if (!hash.record) return undefined;
  const fixed = JSON.parse(hash.record) as Omit<DeploymentRecord, 'lastStatus' | 'updatedAt'>;
  return {
    ...fixed,
    ...(hash.lastStatus ? { lastStatus: hash.lastStatus as PipelineStatus } : {}),
    updatedAt: Number(hash.updatedAt),
  };
}
