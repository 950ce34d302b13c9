/**
 * Fault injection, applied to every request before routing (except the emulator's own control
 * paths under /_emulator, so that faults can always be cleared).
 *
 * Rules are checked in the order they were added. Every matching `latency` rule adds its delay;
 * the first matching rule of any other kind then answers the request. Each applied rule uses one
 * of its `times`; a rule whose `times` reach 0 is removed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { sendApiError, sendJson, sendUnauthorized } from './http.js';
import type { FaultRule } from './types.js';

const base = {
  target: z.enum(['auth', 'api']),
  path: z.string().startsWith('/').optional(),
  method: z.string().min(1).optional(),
  times: z.number().int().positive().optional(),
};

/** Validates a FaultRule that arrives as JSON (control API). */
export const faultRuleSchema = z.discriminatedUnion('kind', [
  z.object({ ...base, kind: z.literal('latency'), ms: z.number().int().nonnegative().max(600_000) }),
  z.object({ ...base, kind: z.literal('status'), status: z.number().int().min(400).max(599) }),
  z.object({ ...base, kind: z.literal('rateLimit'), retryAfterSeconds: z.number().int().nonnegative() }),
  z.object({ ...base, kind: z.literal('expiredToken') }),
  z.object({ ...base, kind: z.literal('drop') }),
]);

interface ActiveRule {
  rule: FaultRule;
  remaining: number; // Infinity = until removed
}

export class FaultSet {
  private rules: ActiveRule[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  add(rule: FaultRule): () => void {
    const parsed = faultRuleSchema.parse(rule) as FaultRule;
    const active: ActiveRule = { rule: parsed, remaining: parsed.times ?? Infinity };
    this.rules.push(active);
    return () => {
      this.rules = this.rules.filter((r) => r !== active);
    };
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map((r) => r.rule);
  }

  /** Cancels pending latency timers (close()). The delayed requests are dropped with their sockets. */
  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.rules = [];
  }

  /**
   * Applies the matching rules. Returns true when a fault answered (or dropped) the request, false
   * when the request should be routed normally.
   */
  async apply(target: 'auth' | 'api', req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
    const method = (req.method ?? 'GET').toUpperCase();
    const matches = (r: ActiveRule) =>
      r.rule.target === target &&
      (!r.rule.method || r.rule.method.toUpperCase() === method) &&
      (!r.rule.path || pathname.startsWith(r.rule.path));

    let delay = 0;
    let answer: FaultRule | undefined;
    for (const active of [...this.rules]) {
      if (!matches(active)) continue;
      if (active.rule.kind === 'latency') {
        delay += active.rule.ms;
        this.use(active);
      } else if (!answer) {
        answer = active.rule;
        this.use(active);
      }
    }
    if (delay > 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.timers.delete(t);
          resolve();
        }, delay);
        this.timers.add(t);
      });
      if (res.destroyed || res.writableEnded) return true;
    }
    if (!answer) return false;
    respond(target, answer, req, res);
    return true;
  }

  private use(active: ActiveRule): void {
    active.remaining -= 1;
    if (active.remaining <= 0) this.rules = this.rules.filter((r) => r !== active);
  }
}

function respond(target: 'auth' | 'api', rule: FaultRule, req: IncomingMessage, res: ServerResponse): void {
  switch (rule.kind) {
    case 'drop':
      req.socket.destroy();
      return;
    case 'status':
      if (target === 'auth') {
        sendJson(res, rule.status, {
          error: rule.status >= 500 ? 'server_error' : 'invalid_request',
          error_description: `emulator fault: status ${rule.status}`,
        });
      } else {
        sendApiError(res, rule.status, `emulator fault: status ${rule.status}`);
      }
      return;
    case 'rateLimit': {
      const headers = { 'Retry-After': String(rule.retryAfterSeconds) };
      if (target === 'auth') {
        sendJson(res, 429, { error: 'too_many_requests', error_description: 'Global limit has been reached' }, headers);
      } else {
        sendApiError(res, 429, 'Too many requests', headers);
      }
      return;
    }
    case 'expiredToken':
      // Exactly what the API answers for a real token past its `exp` (see api.ts).
      if (target === 'auth') {
        sendJson(res, 401, { error: 'invalid_token', error_description: 'token is expired' });
      } else {
        sendUnauthorized(res, 'token is expired');
      }
      return;
    case 'latency':
      return; // handled by the caller
  }
}
