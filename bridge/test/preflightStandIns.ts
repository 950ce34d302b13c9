/**
 * Loopback stand-ins for the preflight tests: a CA made per run with Debian's openssl and the
 * certificates it signs (valid, expired, for another host), TLS servers offering HTTP/2 or only
 * HTTP/1.1, a refused port, and HTTP proxies that tunnel or refuse CONNECT.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http, { type Server } from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCa {
  ca: string;
  /** A certificate for `names` signed by the CA; `expired` dates it 2020-2021. */
  issue(names: string[], opts?: { expired?: boolean }): { key: string; cert: string };
  remove(): void;
}

const openssl = (dir: string, args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });

export function makeCa(): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-ca-'));
  openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/O=Preflight Test CA/CN=Preflight Test CA']);
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  // `openssl ca` takes explicit start and end dates: the only way to sign an already-expired cert.
  writeFileSync(
    join(dir, 'ca.cnf'),
    `[ca]\ndefault_ca = test\n[test]\ndir = .\ndatabase = index.txt\nserial = serial\nnew_certs_dir = .\ncertificate = ca.pem\nprivate_key = ca.key\ndefault_md = sha256\npolicy = any\ncopy_extensions = copy\nunique_subject = no\n[any]\ncommonName = supplied\n`,
  );
  let n = 0;
  return {
    ca: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    issue(names, opts = {}) {
      const base = `leaf${++n}`;
      const san = names.map((h) => (net.isIP(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
      openssl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${names[0]}`, '-addext', `subjectAltName=${san}`]);
      const dates = opts.expired ? ['-startdate', '20200101000000Z', '-enddate', '20210101000000Z'] : ['-days', '2'];
      openssl(dir, ['ca', '-batch', '-config', 'ca.cnf', '-in', `${base}.csr`, '-out', `${base}.pem`, '-notext', ...dates]);
      return { key: readFileSync(join(dir, `${base}.key`), 'utf8'), cert: readFileSync(join(dir, `${base}.pem`), 'utf8') };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Running {
  url: string;
  port: number;
  close(): Promise<void>;
}

async function listen(server: net.Server, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as AddressInfo).port;
}

/**
 * Stops listening without waiting for 'close': a TLS server whose client vanished mid-handshake
 * may never count that connection as ended, and would hold the test forever.
 */
const closer = (server: net.Server & { closeAllConnections?: () => void }) => async () => {
  server.closeAllConnections?.();
  server.close();
};

/** HTTPS offering only HTTP/1.1 by ALPN, answering every GET with 404 (as a token endpoint might). */
export async function startHttp1Server(pair: { key: string; cert: string }, hostName = 'localhost'): Promise<Running> {
  const server = https.createServer({ ...pair, ALPNProtocols: ['http/1.1'] }, (_req, res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'));
  const port = await listen(server);
  return { url: `https://${hostName}:${port}`, port, close: closer(server) };
}

/** TLS offering h2 by ALPN, answering as a gRPC server does to a plain GET. */
export async function startHttp2Server(pair: { key: string; cert: string }, hostName = 'localhost'): Promise<Running> {
  const server = http2.createSecureServer({ ...pair }, (_req, res) => {
    res.writeHead(415, { 'content-type': 'application/grpc' });
    res.end();
  });
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => {
    sessions.add(s);
    s.once('close', () => sessions.delete(s));
  });
  const port = await listen(server);
  return {
    url: `https://${hostName}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sessions) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: bound, read, released. */
export async function refusedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Accepts TCP and never says a word: a handshake that hangs until the caller's timeout. */
export async function startSilentServer(): Promise<Running> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const port = await listen(server);
  return {
    url: `https://localhost:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface TestProxy extends Running {
  /** `CONNECT host:port` lines seen. */
  connects: string[];
}

/** An HTTP proxy: tunnels CONNECT when `allow`, else answers 403 as a corporate proxy does. */
export async function startProxy(allow: boolean): Promise<TestProxy> {
  const connects: string[] = [];
  const server: Server = http.createServer((_req, res) => res.writeHead(405).end());
  const open = new Set<net.Socket>();
  server.on('connect', (req, client: net.Socket) => {
    connects.push(`CONNECT ${req.url}`);
    open.add(client);
    client.on('close', () => open.delete(client));
    if (!allow) {
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host === 'localhost' ? '127.0.0.1' : host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    open.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connects,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
