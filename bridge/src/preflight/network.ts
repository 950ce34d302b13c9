/**
 * One endpoint, step by step, from where the bridge runs: DNS, TCP connect (through the proxy that
 * HTTPS_PROXY / NO_PROXY pick, with CONNECT), TLS (chain trusted, valid for the host, days to
 * expiry), HTTP/2 offered by ALPN where it is required (the Agent Hub: agents speak gRPC), and an
 * HTTP answer. A failed step makes the later ones `skip`, so the first failure is the one to fix.
 */
import { lookup } from 'node:dns/promises';
import http2 from 'node:http2';
import { type Socket, connect as netConnect, isIP } from 'node:net';
import tls, { type PeerCertificate, type TLSSocket } from 'node:tls';

import type { CheckResult } from '@cdaas/contract/preflight';
import { type CheckMeta, type Outcome, TimeoutError, errorCode, result, skipped, withTimeout } from './checks';
import { type ProxySettings, proxyFor, showProxy } from './proxy';

export interface Endpoint {
  /** Short id: `auth`, `api`, `agentHub`, `github`, `pluginRepository`. */
  name: string;
  url: URL;
  /** The requirement in the system-requirements table's words. */
  requirement: string;
  /** Agents need gRPC, which is HTTP/2: ALPN must offer h2. */
  requireHttp2?: boolean;
  /** The setting that names this endpoint, for fixes. */
  setting: string;
}

export interface NetworkOptions {
  timeoutMs: number;
  proxy: ProxySettings;
  /** Trust these CAs instead of Node's (tests: a CA the test made). */
  ca?: string[];
  now?: () => number;
}

/** Certificates expiring sooner than this are a warning: renewals fail on weekends too. */
export const CERT_WARN_DAYS = 14;

const STEPS = ['dns', 'tcp', 'tls', 'http2', 'http'] as const;
type Step = (typeof STEPS)[number];

const defaultPort = (url: URL) => Number(url.port || (url.protocol === 'https:' ? 443 : 80));
export const hostPort = (url: URL) => `${url.hostname}:${defaultPort(url)}`;

/** Reads an HTTP/1.1 response head from a socket: status code and the raw head. */
function readHead(socket: Socket): Promise<{ status: number; head: string }> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (chunk: Buffer) => {
      buf += chunk.toString('latin1');
      const end = buf.indexOf('\r\n\r\n');
      if (end === -1 && buf.length < 16_384) return;
      cleanup();
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(buf);
      if (!m) reject(new Error('the answer is not HTTP'));
      else resolve({ status: Number(m[1]), head: buf.slice(0, end) });
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onEnd = () => {
      cleanup();
      reject(new Error('connection closed before an HTTP answer'));
    };
    const cleanup = () => {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('end', onEnd);
    };
    socket.on('data', onData);
    socket.once('error', onError);
    socket.once('end', onEnd);
  });
}

/** `track` learns of the socket at once, so a timeout can destroy one still connecting. */
function tcpConnect(host: string, port: number, track: (s: Socket) => void): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host, port });
    track(socket);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err) => {
      socket.destroy();
      reject(err);
    });
  });
}

/** Each resolved address in turn (localhost is often ::1 first, servers bind 127.0.0.1). */
async function connectAny(addresses: string[], port: number, track: (s: Socket) => void): Promise<{ socket: Socket; address: string }> {
  let last: unknown;
  for (const address of addresses) {
    try {
      return { socket: await tcpConnect(address, port, track), address };
    } catch (err) {
      last = err;
    }
  }
  throw last;
}

/** A CONNECT tunnel through the proxy (at `addresses`, already resolved) to the target. */
async function tunnel(proxy: URL, addresses: string[], target: URL, track: (s: Socket) => void): Promise<{ socket: Socket; address: string }> {
  const { socket, address } = await connectAny(addresses, defaultPort(proxy), track);
  const auth = proxy.username ? `Proxy-Authorization: Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}\r\n` : '';
  socket.write(`CONNECT ${hostPort(target)} HTTP/1.1\r\nHost: ${hostPort(target)}\r\n${auth}\r\n`);
  const { status } = await readHead(socket).catch((err: unknown) => {
    socket.destroy();
    throw err;
  });
  if (status !== 200) {
    socket.destroy();
    throw Object.assign(new Error(`the proxy answered CONNECT ${hostPort(target)} with HTTP ${status}`), { code: 'PROXY_REFUSED', status });
  }
  return { socket, address };
}

function tlsHandshake(socket: Socket, url: URL, alpn: string[], ca: string[] | undefined): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const secure = tls.connect({
      socket,
      servername: isIP(host) ? undefined : host,
      ALPNProtocols: alpn,
      // Judged below, so the answer can say what is wrong instead of a bare handshake error.
      rejectUnauthorized: false,
      ...(ca ? { ca } : {}),
    });
    secure.once('secureConnect', () => {
      secure.removeAllListeners('error');
      resolve(secure);
    });
    secure.once('error', (err) => {
      secure.destroy();
      reject(err);
    });
  });
}

const certName = (cert: PeerCertificate) => cert.subjectaltname || `CN=${cert.subject?.CN ?? '?'}`;

export function judgeCertificate(url: URL, secure: TLSSocket, now: number): Outcome {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const cert = secure.getPeerCertificate();
  if (!cert || !cert.valid_to) return { state: 'fail', detail: 'the server sent no certificate', fix: `${host} must present a certificate` };
  const expires = Date.parse(cert.valid_to);
  const days = Math.floor((expires - now) / 86_400_000);
  const issuer = cert.issuer?.O ?? cert.issuer?.CN ?? 'unknown issuer';
  // Node reports a host mismatch as an authorization error too; the host check below words it.
  const authError = secure.authorizationError && String(secure.authorizationError) !== 'ERR_TLS_CERT_ALTNAME_INVALID' ? String(secure.authorizationError) : undefined;
  if (authError === 'CERT_HAS_EXPIRED' || expires < now) {
    return {
      state: 'fail',
      detail: `certificate expired on ${new Date(expires).toISOString().slice(0, 10)} (${certName(cert)}, issued by ${issuer})`,
      fix: `${host} serves an expired certificate: renew it, or fix the TLS-intercepting proxy that serves it`,
    };
  }
  if (authError) {
    return {
      state: 'fail',
      detail: `certificate chain not trusted: ${authError} (issued by ${issuer})`,
      fix: `if a TLS-intercepting proxy signs ${host}, give the bridge pod its CA (NODE_EXTRA_CA_CERTS=/path/ca.pem); otherwise ${host} serves an incomplete chain`,
    };
  }
  const mismatch = tls.checkServerIdentity(host, cert);
  if (mismatch) {
    return {
      state: 'fail',
      detail: `certificate is for ${certName(cert)}, not ${host}`,
      fix: `something other than ${host} answers at this address (a DNS override or an intercepting proxy): route ${host} to the real service`,
    };
  }
  const detail = `valid for ${host}, issued by ${issuer}, expires in ${days} day(s) (${new Date(expires).toISOString().slice(0, 10)})`;
  if (days < CERT_WARN_DAYS) return { state: 'warn', detail, fix: `${host}'s certificate expires in ${days} day(s): renew it` };
  return { state: 'pass', detail };
}

function http2Get(secure: TLSSocket, url: URL, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(url.origin, { createConnection: () => secure });
    const timer = setTimeout(() => {
      session.destroy();
      reject(new TimeoutError(timeoutMs));
    }, timeoutMs);
    const done = (fn: () => void) => {
      clearTimeout(timer);
      session.close();
      fn();
    };
    session.once('error', (err) => done(() => reject(err)));
    const req = session.request({ ':method': 'GET', ':path': url.pathname || '/' });
    req.once('response', (headers) => done(() => resolve(Number(headers[':status']))));
    req.once('error', (err) => done(() => reject(err)));
    req.end();
  });
}

const meta = (e: Endpoint, step: Step): CheckMeta => ({
  id: `network:${e.name}:${step}`,
  group: 'network',
  requirement: `${e.requirement}: ${({ dns: 'DNS', tcp: 'TCP connect', tls: 'TLS', http2: 'HTTP/2 (ALPN h2)', http: 'HTTP answer' } as const)[step]}`,
  target: e.url.href.replace(/\/$/, ''),
});

function describeNetError(err: unknown, what: string): string {
  if (err instanceof TimeoutError) return `${what}: ${err.message}`;
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  return code && !message.includes(code) ? `${what}: ${code} (${message})` : `${what}: ${message}`;
}

/** Every step for one endpoint, in order; each bounded by `timeoutMs`. */
export async function checkEndpoint(e: Endpoint, opts: NetworkOptions): Promise<CheckResult[]> {
  const now = opts.now ?? Date.now;
  const out: CheckResult[] = [];
  const host = e.url.hostname.replace(/^\[|\]$/g, '');
  const port = defaultPort(e.url);
  const https = e.url.protocol === 'https:';
  const proxy = proxyFor(e.url, opts.proxy);
  const via = proxy ? ` via proxy ${showProxy(proxy)}` : '';
  const steps: Step[] = STEPS.filter((s) => (s === 'tls' ? https : s === 'http2' ? e.requireHttp2 === true : true));
  const skipRest = (from: Step, why: string) => {
    for (const s of steps.slice(steps.indexOf(from))) out.push(skipped(meta(e, s), why));
  };
  let sockets: Socket[] = [];
  const track = (s: Socket) => {
    // Errors after a step has its verdict (a reset while closing) must not crash the process.
    s.on('error', () => undefined);
    sockets.push(s);
  };
  const closeAll = () => {
    // Outermost first: destroying a socket under a live TLS socket crashes Node 20 (SIGSEGV).
    for (const s of sockets.reverse()) s.destroy();
    sockets = [];
  };

  try {
    // DNS: the proxy's name when a proxy carries the request (the proxy resolves the target).
    const dnsHost = proxy ? proxy.hostname : host;
    let t = performance.now();
    let addresses = [dnsHost.replace(/^\[|\]$/g, '')];
    if (isIP(addresses[0]!)) {
      out.push(result(meta(e, 'dns'), { state: 'pass', detail: `${dnsHost} is an IP address${via}` }, 0));
    } else {
      try {
        const addrs = await withTimeout(lookup(dnsHost, { all: true }), opts.timeoutMs);
        addresses = addrs.map((a) => a.address);
        out.push(
          result(meta(e, 'dns'), { state: 'pass', detail: `${proxy ? 'proxy ' : ''}${dnsHost} resolves to ${addrs.map((a) => a.address).slice(0, 3).join(', ')}${via}` }, performance.now() - t),
        );
      } catch (err) {
        out.push(
          result(
            meta(e, 'dns'),
            {
              state: 'fail',
              detail: describeNetError(err, `${proxy ? 'proxy ' : ''}${dnsHost} does not resolve`),
              fix: proxy
                ? `the proxy host ${dnsHost} does not resolve from the bridge pod: fix HTTPS_PROXY or the pod's DNS`
                : `${dnsHost} does not resolve from the bridge pod: check the cluster DNS and egress DNS policy${e.setting ? `, or ${e.setting}` : ''}`,
            },
            performance.now() - t,
          ),
        );
        skipRest('tcp', 'not checked: DNS failed');
        return out;
      }
    }

    // TCP, or the proxy's CONNECT tunnel.
    t = performance.now();
    let socket: Socket;
    let address: string;
    try {
      ({ socket, address } = await withTimeout(
        proxy && https ? tunnel(proxy, addresses, e.url, track) : connectAny(addresses, proxy ? defaultPort(proxy) : port, track),
        opts.timeoutMs,
        closeAll,
      ));
      out.push(
        result(meta(e, 'tcp'), { state: 'pass', detail: proxy && https ? `proxy ${showProxy(proxy)} opened a tunnel to ${host}:${port}` : `connected to ${address}:${proxy ? defaultPort(proxy) : port}${via}` }, performance.now() - t),
      );
    } catch (err) {
      const refusedByProxy = errorCode(err) === 'PROXY_REFUSED';
      out.push(
        result(
          meta(e, 'tcp'),
          {
            state: 'fail',
            detail: describeNetError(err, refusedByProxy ? `proxy ${proxy ? showProxy(proxy) : ''} refused the tunnel` : `cannot connect to ${proxy ? `proxy ${proxy.host}` : `${host}:${port}`}`),
            fix: refusedByProxy
              ? `allow CONNECT to ${host}:${port} on the proxy, or add ${host} to NO_PROXY if the bridge reaches it directly`
              : proxy
                ? `the proxy ${proxy.host} does not accept connections from the bridge pod: fix HTTPS_PROXY, or add ${host} to NO_PROXY`
                : `open egress from the bridge pod to ${host}:${port} (firewall, NetworkPolicy, security group)${e.setting ? ` or correct ${e.setting}` : ''}`,
          },
          performance.now() - t,
        ),
      );
      skipRest(steps[steps.indexOf('tcp') + 1] ?? 'http', 'not checked: TCP connect failed');
      return out;
    }

    // TLS, offering h2 where the endpoint needs HTTP/2.
    let secure: TLSSocket | undefined;
    if (https) {
      t = performance.now();
      try {
        secure = await withTimeout(tlsHandshake(socket, e.url, e.requireHttp2 ? ['h2', 'http/1.1'] : ['http/1.1'], opts.ca), opts.timeoutMs, closeAll);
        track(secure);
        const verdict = judgeCertificate(e.url, secure, now());
        out.push(result(meta(e, 'tls'), verdict, performance.now() - t));
        if (verdict.state === 'fail') {
          skipRest(steps[steps.indexOf('tls') + 1]!, 'not checked: TLS failed');
          return out;
        }
      } catch (err) {
        out.push(
          result(
            meta(e, 'tls'),
            { state: 'fail', detail: describeNetError(err, 'TLS handshake failed'), fix: `${host}:${port} does not complete a TLS handshake from the bridge pod: is something other than ${host} (a proxy, a captive portal) answering?` },
            performance.now() - t,
          ),
        );
        skipRest(steps[steps.indexOf('tls') + 1]!, 'not checked: TLS failed');
        return out;
      }
      if (e.requireHttp2) {
        const alpn = secure.alpnProtocol;
        out.push(
          result(
            meta(e, 'http2'),
            alpn === 'h2'
              ? { state: 'pass', detail: 'the server offers h2 by ALPN' }
              : {
                  state: 'fail',
                  detail: `the server offered ${alpn ? alpn : 'no ALPN protocol'} only, not h2`,
                  fix: `agents need gRPC over HTTP/2 to ${host}:${port}: a proxy or load balancer in the path must pass TLS through or speak HTTP/2 (ALPN h2)`,
                },
            0,
          ),
        );
      }
    }

    // An HTTP answer: any status shows the service is there (a token endpoint answers GET with 4xx).
    t = performance.now();
    try {
      let status: number;
      if (secure && secure.alpnProtocol === 'h2') {
        status = await http2Get(secure, e.url, opts.timeoutMs);
      } else {
        let s: Socket = socket;
        if (secure) s = secure;
        const path = proxy && !https ? e.url.href : `${e.url.pathname}${e.url.search}` || '/';
        s.write(`GET ${path} HTTP/1.1\r\nHost: ${e.url.host}\r\nUser-Agent: cdaas-preflight\r\nAccept: */*\r\nConnection: close\r\n\r\n`);
        status = (await withTimeout(readHead(s), opts.timeoutMs, closeAll)).status;
      }
      const detail = `HTTP ${status} from GET ${e.url.pathname}${via}`;
      out.push(
        result(
          meta(e, 'http'),
          status >= 500 ? { state: 'warn', detail, fix: `${host} answers with server errors (HTTP ${status}): retry later, or check the proxy in between` } : { state: 'pass', detail },
          performance.now() - t,
        ),
      );
    } catch (err) {
      out.push(
        result(meta(e, 'http'), { state: 'fail', detail: describeNetError(err, 'no HTTP answer'), fix: `${host}:${port} accepts connections but does not answer HTTP: check the proxy or load balancer in between` }, performance.now() - t),
      );
    }
    return out;
  } finally {
    closeAll();
  }
}
