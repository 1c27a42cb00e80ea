// The part of autocannon's API (https://github.com/mcollina/autocannon, 9.x) the throughput bench uses. autocannon ships
// no types; this keeps the bench type-checked without a second dependency.
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  export type Headers = Record<string, string>;

  /** One connection. `setHeaders` replaces the headers of this connection's current request (and the ones after it). */
  export interface Client extends EventEmitter {
    setHeaders(headers: Headers): void;
  }

  export interface RequestSpec {
    method?: string;
    path?: string;
    headers?: Headers;
    body?: string;
    /** Called before every request of this connection; returns the request to send. */
    setupRequest?: (req: RequestSpec, context: Record<string, unknown>) => RequestSpec;
    /** Called with every response (body as text; the headers flattened to an object). */
    onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string | string[]>) => void;
  }

  export interface Options {
    url: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    /** Total requests over all connections (the run ends when they are answered); overrides duration. */
    amount?: number;
    pipelining?: number;
    /** Seconds before a request counts as a timeout. */
    timeout?: number;
    method?: string;
    headers?: Headers;
    requests?: RequestSpec[];
    setupClient?: (client: Client) => void;
  }

  export interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    sent: number;
    p50: number;
    p90: number;
    p99: number;
  }

  export interface Result {
    duration: number;
    requests: Histogram;
    latency: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
    statusCodeStats: Record<string, { count: number }>;
    start: Date;
    finish: Date;
  }

  export interface Instance extends EventEmitter, PromiseLike<Result> {
    stop(): void;
  }

  function autocannon(opts: Options): Instance;
  export default autocannon;
}
