// The customer's hot reads (balance, statement, dashboard) answered from memory while nothing that could change them
// has happened. An entry is keyed by the customer, the path and query, and the customer's versions:
// - the BFF's own per-customer counter in Redis (`<prefix>reads:<customerId>`), incremented by every BFF process after
//   each write the customer makes through it (any non-GET API call), so a write through one replica is seen at once
//   through every other (read-your-writes);
// - the version of the customer's account in payments' balance read model (`payments:balance:<accountId>`, field `v`),
//   which payments raises after every ledger or reserve change (PIX reserve, settlement, refusal, deposit, credit from
//   another customer's PIX); when that model has no entry, nothing is cached;
// - a per-process epoch bumped by the live events this process hears about the customer (in-app notifications).
// Both Redis versions ride in the API gate's single round trip (redis-gate.ts). Entries also expire after `ttlMs`, the
// bound on anything none of the versions covers (e.g. a change made by the back office).
import type { Redis } from 'ioredis';

export interface CachedAnswer {
  status: number;
  headers: Record<string, string>;
  body: ArrayBuffer;
}

export interface ReadCacheOptions {
  /** Prefix of the BFF's Redis keys. */
  keyPrefix: string;
  /** How long an entry may be served at most (0: the cache is off). */
  ttlMs: number;
  /** Entries kept (oldest dropped first). */
  maxEntries?: number;
}

/** The paths answered from the cache (the API path, query string excluded). */
const CACHED_PATHS = new Set(['/api/v1/accounts/me/balance', '/api/v1/accounts/me/statement', '/api/v1/dashboard']);

export class ReadCache {
  private readonly entries = new Map<string, { answer: CachedAnswer; until: number }>();
  private readonly accountOf = new Map<string, string>();
  private readonly learning = new Set<string>();
  private readonly epochs = new Map<string, number>();
  private readonly max: number;
  /** Answers served from memory since start (observability and tests). */
  hits = 0;

  constructor(
    private readonly redis: Redis,
    private readonly opts: ReadCacheOptions,
  ) {
    this.max = opts.maxEntries ?? 2000;
  }

  get enabled() {
    return this.opts.ttlMs > 0;
  }

  /** Whether a GET of `path` can be answered from the cache. */
  caches(path: string) {
    return this.enabled && CACHED_PATHS.has(path);
  }

  /** The Redis keys of the customer's versions, for the gate; undefined until the customer's account is known here. */
  versionKeys(customerId: string): [string, string] | undefined {
    const accountId = this.accountOf.get(customerId);
    if (accountId) return [this.counterKey(customerId), `payments:balance:${accountId}`];
    if (this.enabled && !this.learning.has(customerId)) {
      // Once per customer and process: payments' own customer → account map (an account id never changes).
      this.learning.add(customerId);
      this.redis
        .get(`payments:account-of:${customerId}`)
        .then((id) => {
          if (id) this.accountOf.set(customerId, id);
        })
        .catch(() => undefined)
        .finally(() => this.learning.delete(customerId));
    }
    return undefined;
  }

  /** The entry key for the versions the gate returned; undefined when they cannot vouch for an entry. */
  key(customerId: string, versions: [string, string] | undefined, pathAndQuery: string, acceptLanguage: string | undefined): string | undefined {
    if (!versions || !versions[1]) return undefined;
    return `${customerId}|${versions[0] || '0'}|${versions[1]}|${this.epochs.get(customerId) ?? 0}|${acceptLanguage ?? ''}|${pathAndQuery}`;
  }

  get(key: string): CachedAnswer | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.until <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    this.hits++;
    return hit.answer;
  }

  set(key: string, answer: CachedAnswer) {
    this.entries.delete(key);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { answer, until: Date.now() + this.opts.ttlMs });
  }

  /** Something about the customer changed that this process heard of: its entries here are no longer used. */
  bump(customerId: string) {
    this.epochs.set(customerId, (this.epochs.get(customerId) ?? 0) + 1);
  }

  /**
   * The customer wrote through this BFF: every process's entries for them stop being used. Awaited before the answer
   * goes back, so the customer's next read, through any replica, sees its effect. A Redis failure is logged by the
   * caller; this process's own entries are dropped regardless.
   */
  async wrote(customerId: string): Promise<void> {
    this.bump(customerId);
    if (!this.enabled) return;
    await this.redis.multi().incr(this.counterKey(customerId)).pexpire(this.counterKey(customerId), 86_400_000).exec();
  }

  private counterKey(customerId: string) {
    return `${this.opts.keyPrefix}reads:${customerId}`;
  }
}
