/**
 * Prometheus metrics (prom-client), one registry per bridge instance so tests and two bridges in
 * one process do not collide. Labels carry route templates and outcomes, never ids or secrets.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class BridgeMetrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'cdaas_bridge_http_requests_total',
    help: 'Requests served, by listener, route template and status code',
    labelNames: ['listener', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'cdaas_bridge_http_request_duration_seconds',
    help: 'Time to answer a request, by listener and route template',
    labelNames: ['listener', 'route'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [this.registry],
  });
  readonly upstreamRequests = new Counter({
    name: 'cdaas_bridge_upstream_requests_total',
    help: 'Calls to the CD-as-a-Service API, by operation and outcome (status code, network, invalid)',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly tokenRequests = new Counter({
    name: 'cdaas_bridge_token_requests_total',
    help: 'client_credentials exchanges with the auth server, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly cacheLookups = new Counter({
    name: 'cdaas_bridge_read_cache_total',
    help: 'Read listener cache lookups: hit, coalesced (joined an in-flight call) or miss',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly deploymentsStarted = new Counter({
    name: 'cdaas_bridge_deployments_started_total',
    help: 'Deployment starts, by result (started, reused, failed)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly ready = new Gauge({
    name: 'cdaas_bridge_ready',
    help: '1 after a successful token exchange',
    registers: [this.registry],
  });

  readonly stateStoreUp: Gauge;

  constructor(opts: { defaultMetrics?: boolean; stateStoreUp?: () => number } = {}) {
    const up = opts.stateStoreUp;
    this.stateStoreUp = new Gauge({
      name: 'cdaas_bridge_state_store_up',
      help: '1 while the state store (memory or Redis) answers; 0 while Redis is unreachable',
      registers: [this.registry],
      collect() {
        if (up) this.set(up());
      },
    });
    if (opts.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }
}
