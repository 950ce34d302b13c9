/**
 * The bridge's outgoing connections. Two kinds, because a kept-alive connection can be closed by
 * the server at the very moment a request is written on it (the server's idle timeout), and the
 * request then fails with ECONNRESET although the server never read it:
 *
 * - `pooled` for reads, cancels, tokens and Fiat: kept alive, since those are retried on a network
 *   error anyway. An idle socket is dropped after IDLE_SOCKET_MS, or earlier when the server
 *   announces a shorter `Keep-Alive: timeout=N` (Node then closes it a second before the server;
 *   without an agent timeout Node ignores that hint and keeps the socket forever).
 * - `fresh` for calls that are never retried after a reset (a start, an approval, a rollback: the
 *   API may have acted on them): each gets a new connection, so no idle race can lose one. A start
 *   is rare; one more TCP and TLS handshake is nothing beside a deployment.
 */
import http from 'node:http';
import https from 'node:https';

/** Below the idle timeouts of the usual fronts (AWS load balancers 60 s, nginx 75 s). */
export const IDLE_SOCKET_MS = 15_000;

export interface AgentPair {
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
}

export interface UpstreamAgents {
  pooled: AgentPair;
  fresh: AgentPair;
  destroy(): void;
}

export function upstreamAgents(idleMs = IDLE_SOCKET_MS): UpstreamAgents {
  // `timeout` is the free socket's idle limit here (the agent destroys a free socket that times
  // out); a request in flight keeps the caller's own timeout.
  const pooledOpts = { keepAlive: true, maxSockets: 64, timeout: idleMs };
  const pooled = { httpAgent: new http.Agent(pooledOpts), httpsAgent: new https.Agent(pooledOpts) };
  const fresh = { httpAgent: new http.Agent({ keepAlive: false }), httpsAgent: new https.Agent({ keepAlive: false }) };
  return {
    pooled,
    fresh,
    destroy() {
      for (const a of [pooled.httpAgent, pooled.httpsAgent, fresh.httpAgent, fresh.httpsAgent]) a.destroy();
    },
  };
}
