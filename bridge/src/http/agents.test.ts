/**
 * Real HTTP over loopback: the idle-connection race is a property of sockets, which msw does not have.
 */
import { once } from 'node:events';
import { type AddressInfo, type Socket } from 'node:net';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import axios from 'axios';

import { HttpCdaasClient } from '../cdaas/client';
import type { TokenSource } from '../auth/tokenSource';
import { upstreamAgents } from './agents';

const tokens: TokenSource = { getToken: async () => 'token-1', invalidate: () => undefined, principal: () => undefined };
const noRetry = { retries: 0, baseMs: 1, maxDelayMs: 1 };

interface Loopback {
  url: string;
  server: Server;
  connections: Socket[];
  /** Per connection, whether the peer (the bridge) closed it first: the server saw its FIN. */
  endedByClient: WeakSet<Socket>;
}

async function loopback(handler: (req: IncomingMessage, res: ServerResponse, requestOnConnection: number) => void, keepAliveTimeoutMs: number): Promise<Loopback> {
  const connections: Socket[] = [];
  const endedByClient = new WeakSet<Socket>();
  const served = new WeakMap<Socket, number>();
  const server = createServer((req, res) => {
    const n = (served.get(req.socket) ?? 0) + 1;
    served.set(req.socket, n);
    handler(req, res, n);
  });
  server.keepAliveTimeout = keepAliveTimeoutMs;
  server.on('connection', (s) => {
    connections.push(s);
    s.on('end', () => endedByClient.add(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, connections, endedByClient };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

describe('upstream agents', () => {
  // Regression: the approvals e2e lost a start ("answer lost") when the bridge wrote it on a
  // kept-alive socket the emulator was closing for idleness; a start is never retried after a reset.
  it('sends a start on a new connection, so a server closing an idle kept-alive socket cannot lose it', async () => {
    const up = await loopback((req, res, requestOnConnection) => {
      // The server's side of the race: it closes the idle connection as the next request arrives.
      if (requestOnConnection > 1) return void req.socket.destroy();
      res.setHeader('Content-Type', 'application/json');
      res.end(req.method === 'POST' ? JSON.stringify({ pipelineId: 'p-1' }) : '[]');
    }, 30_000);
    servers.push(up.server);
    const agents = upstreamAgents();
    try {
      const client = new HttpCdaasClient(axios.create({ baseURL: up.url, ...agents.pooled }), tokens, { retry: noRetry, timeoutMs: 5000, freshConnection: agents.fresh });
      expect(await client.connectedAgents()).toEqual([]);
      expect(up.connections).toHaveLength(1);
      expect(await client.startPipeline({ application: 'app', files: {}, context: {} })).toEqual({ pipelineId: 'p-1', warnings: [] });
      expect(up.connections).toHaveLength(2);

      // The same start on the pooled socket is what failed before (and still does for a read,
      // which is why reads are retried): this proves the stand-in really resets a reused socket.
      const control = upstreamAgents();
      try {
        const pooledOnly = new HttpCdaasClient(axios.create({ baseURL: up.url, ...control.pooled }), tokens, { retry: noRetry, timeoutMs: 5000 });
        expect(await pooledOnly.connectedAgents()).toEqual([]);
        await expect(pooledOnly.startPipeline({ application: 'app', files: {}, context: {} })).rejects.toThrow(/unreachable for startPipeline: ECONNRESET/);
      } finally {
        control.destroy();
      }
    } finally {
      agents.destroy();
    }
  });

  // Node's server announces `Keep-Alive: timeout=2` and closes at 2 s: the agent closes a second
  // earlier. A server with keepAliveTimeout 0 announces nothing and never closes: the agent's own limit.
  it.each([
    { when: 'the server announces its Keep-Alive timeout', serverKeepAliveMs: 2000, idleMs: undefined },
    { when: 'the server announces none', serverKeepAliveMs: 0, idleMs: 300 },
  ])('closes an idle socket before the server does when $when', async ({ serverKeepAliveMs, idleMs }) => {
    const up = await loopback((_req, res) => res.end('[]'), serverKeepAliveMs);
    servers.push(up.server);
    const agents = upstreamAgents(idleMs);
    try {
      await axios.get(up.url, agents.pooled);
      const [conn] = up.connections;
      await once(conn!, 'close');
      expect(up.endedByClient.has(conn!)).toBe(true);
    } finally {
      agents.destroy();
    }
  });
});
