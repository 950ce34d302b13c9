/**
 * A Fiat stand-in for the sandbox and the tests: the one endpoint the bridge asks, answered the way
 * fiat-web's AuthorizeController answers it (read from spinnaker/fiat):
 *
 *   GET /authorize/{userId}/{resourceType}/{resourceName}/{authorization}
 *   -> 200, empty body, when the user's permissions hold `authorization` on the resource;
 *   -> 404 when they do not, and also for a user or resource Fiat does not know;
 *   -> 400 for a resource type without authorizations (only accounts and applications have them).
 *
 * Like the real one: `resourceType` may be plural (ResourceType.parse drops a trailing "s"), the
 * authorization is upper-cased before it is read, user and resource names compare case-insensitively.
 * Where it cannot be like it: permissions are a fixed table here. Real Fiat resolves each user's roles
 * from a roles provider (LDAP, SAML groups, GitHub teams, ...), syncs them into Redis every few
 * minutes, derives application permissions from Front50, knows admins, service accounts and the
 * unrestricted user, and may fall back to resolving an unsynced user when X-SPINNAKER-USER names
 * them. The stand-in ignores headers and has none of that; `down` makes it answer 503.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

import { closeServer, listen, LOOPBACK, sendJson } from '../lib/http';
import { DEMO_APP } from '../gate/fixtures';

export type FiatAuthorization = 'READ' | 'WRITE' | 'EXECUTE' | 'CREATE';

/** Per user (lower case): application name (lower case) -> authorizations. */
export type FiatPermissions = Record<string, Record<string, FiatAuthorization[]>>;

/** The sandbox's two users: one may operate the demo application, the other may only look. */
export const SANDBOX_USERS = {
  allowed: 'pat@example.com',
  denied: 'sam@example.com',
} as const;

export function sandboxPermissions(): FiatPermissions {
  return {
    [SANDBOX_USERS.allowed]: { [DEMO_APP]: ['READ', 'WRITE', 'EXECUTE'] },
    [SANDBOX_USERS.denied]: { [DEMO_APP]: ['READ'] },
  };
}

export interface FiatOptions {
  permissions?: FiatPermissions;
  host?: string;
  port?: number;
}

export interface FiatHandle {
  url: string;
  /** Every authorize request, `user application AUTHORIZATION`, in order (tests count them). */
  requests: string[];
  /** While true, every request gets 503 (Fiat down or overloaded). */
  down: boolean;
  close(): Promise<void>;
}

const AUTHORIZATIONS = new Set<string>(['READ', 'WRITE', 'EXECUTE', 'CREATE']);

export async function startFiat(opts: FiatOptions = {}): Promise<FiatHandle> {
  const permissions = opts.permissions ?? sandboxPermissions();
  const handle: FiatHandle = { url: '', requests: [], down: false, close: async () => undefined };

  const answer = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://fiat.invalid').pathname;
    if (handle.down) return sendJson(res, 503, { error: 'Service Unavailable', status: 503 });
    let parts: string[];
    try {
      parts = path.split('/').slice(1).map(decodeURIComponent);
    } catch {
      return sendJson(res, 400, { error: 'Bad Request', status: 400 });
    }
    if (req.method !== 'GET') return sendJson(res, 405, { error: 'Method Not Allowed', status: 405 });
    if (parts[0] !== 'authorize' || parts.length !== 5) return sendJson(res, 404, { error: 'Not Found', status: 404 });
    const [, user, rawType, resource, rawAuthorization] = parts as [string, string, string, string, string];
    const type = rawType.toLowerCase().replace(/s$/, '');
    const authorization = rawAuthorization.toUpperCase();
    // Authorization.valueOf throws on an unknown name; Spring answers that as a client error.
    if (!AUTHORIZATIONS.has(authorization)) return sendJson(res, 400, { error: 'Bad Request', message: `No enum constant ${rawAuthorization}`, status: 400 });
    if (type !== 'application' && type !== 'account') {
      return sendJson(res, 400, { error: 'Bad Request', message: `Resource type ${rawType} does not contain authorizations`, status: 400 });
    }
    handle.requests.push(`${user} ${resource} ${authorization}`);
    const held = type === 'application' ? permissions[user.toLowerCase()]?.[resource.toLowerCase()] ?? [] : [];
    res.writeHead(held.includes(authorization as FiatAuthorization) ? 200 : 404, { 'content-length': '0' });
    res.end();
  };

  const server = createServer(answer);
  const host = opts.host ?? LOOPBACK;
  const port = await listen(server, opts.port ?? 0, host, 'Fiat stand-in');
  handle.url = `http://${host}:${port}`;
  handle.close = () => closeServer(server);
  return handle;
}
