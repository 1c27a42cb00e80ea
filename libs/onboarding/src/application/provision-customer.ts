// Provisioning saga step, run when an application is APPROVED:
//   1. the Keycloak user (username = CPF, e-mail, password, attribute customer_id), found by username first so
//      a retry never creates a second one (a 409 on create also means "already there": fetch it and continue);
//   2. realm role `customer` (idempotent);
//   3. ACTIVE + outbox `account.created` + the sealed password wiped, in ONE transaction.
// The provisioning row is locked (FOR UPDATE SKIP LOCKED) for the whole step, so the inline attempt and the
// worker (or several onboarding replicas) never provision the same customer at once. When Keycloak is down
// the transaction rolls back: the customer stays APPROVED (provisioning pending) and the worker retries with
// backoff; nothing exists in Keycloak without the customer being (or becoming) ACTIVE here.
import { TOPICS } from '@krt/contracts';
import { commitTransaction, rollbackTransaction, type Pool, type PoolClient } from '@krt/platform/persistence';
import type { Logger } from '@krt/platform/telemetry';
import { enqueue } from '@krt/platform/messaging';
import { isUnavailableError } from '@krt/platform/resilience';
import { splitFullName, type KeycloakAdminClient } from '../infra/keycloak-admin.client';
import type { PasswordVault } from '../infra/password-vault';

export const CUSTOMER_ROLE = 'customer';

export interface ProvisionerOptions {
  pool: Pool;
  keycloak: KeycloakAdminClient;
  vault: PasswordVault;
  logger: Logger;
  /** First retry delay; doubles per attempt up to `maxBackoffMs`. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  pollIntervalMs?: number;
}

export type ProvisionOutcome = 'ACTIVE' | 'RETRY_LATER' | 'NOT_DUE';

interface DueRow {
  customer_id: string;
  password_ciphertext: Buffer | null;
  transaction_pin_hash: string | null;
  attempts: number;
  correlation_id: string;
  full_name: string;
  cpf: string;
  email: string;
  phone: string;
}

export class Provisioner {
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(private readonly opts: ProvisionerOptions) {}

  /** Provisions one approved customer now, if nobody else is doing it. Never throws for a Keycloak outage. */
  async provision(customerId: string): Promise<ProvisionOutcome> {
    const { pool, logger } = this.opts;
    const client = await pool.connect();
    let row: DueRow | undefined;
    try {
      await client.query('BEGIN');
      const res = await client.query<DueRow>(
        `SELECT p.customer_id, p.password_ciphertext, p.transaction_pin_hash, p.attempts, p.correlation_id, c.full_name, c.cpf, c.email, c.phone
           FROM provisioning p JOIN customers c ON c.id = p.customer_id
          WHERE p.customer_id = $1 AND p.completed_at IS NULL AND c.status = 'APPROVED'
          FOR UPDATE OF p, c SKIP LOCKED`,
        [customerId],
      );
      row = res.rows[0];
      if (!row) {
        await commitTransaction(client, pool);
        return 'NOT_DUE';
      }
      const keycloakUserId = await this.ensureKeycloakUser(row);
      await this.activate(client, row, keycloakUserId);
      // account.created (outbox) wakes onboarding-relay right after the COMMIT.
      await commitTransaction(client, pool);
      logger.info({ customerId, attempts: row.attempts + 1 }, 'customer provisioned: Keycloak user ready, account.created queued');
      return 'ACTIVE';
    } catch (err) {
      await rollbackTransaction(client);
      if (!row) throw err;
      const delay = this.backoff(row.attempts + 1);
      const reason = isUnavailableError(err) ? 'keycloak unavailable' : (err as Error).message;
      await pool
        .query(`UPDATE provisioning SET attempts = attempts + 1, next_attempt_at = now() + ($2::int * interval '1 millisecond'), last_error = $3 WHERE customer_id = $1`, [
          customerId, delay, reason.slice(0, 500),
        ])
        .catch(() => undefined);
      logger.warn({ customerId, attempt: row.attempts + 1, retryInMs: delay, reason }, 'provisioning failed, will retry');
      return 'RETRY_LATER';
    } finally {
      client.release();
    }
  }

  private backoff(attempt: number): number {
    const base = this.opts.baseBackoffMs ?? 1000;
    return Math.min(base * 2 ** Math.min(attempt - 1, 16), this.opts.maxBackoffMs ?? 30_000);
  }

  private async ensureKeycloakUser(row: DueRow): Promise<string> {
    const kc = this.opts.keycloak;
    let user = await kc.findUserByUsername(row.cpf);
    if (!user) {
      if (!row.password_ciphertext) throw new Error('no sealed password and no Keycloak user');
      const password = this.opts.vault.open(row.password_ciphertext, row.customer_id);
      const created = await kc.createUser({ username: row.cpf, email: row.email, password, customerId: row.customer_id, ...splitFullName(row.full_name) });
      if (created) return this.finishUser(created);
      // 409: created by an earlier attempt that did not commit here (or the e-mail is taken by another user).
      user = await kc.findUserByUsername(row.cpf);
      if (!user) throw new Error('keycloak refused the user (e-mail held by another Keycloak user)');
    }
    const owner = user.attributes?.customer_id?.[0];
    if (owner && owner !== row.customer_id) throw new Error('the Keycloak user with this username belongs to another customer');
    if (!owner) await kc.updateUser(user.id, (current) => ({ ...current, attributes: { ...current.attributes, customer_id: [row.customer_id] } }));
    return this.finishUser(user.id);
  }

  private async finishUser(userId: string): Promise<string> {
    await this.opts.keycloak.assignRealmRole(userId, CUSTOMER_ROLE);
    return userId;
  }

  private async activate(client: PoolClient, row: DueRow, keycloakUserId: string): Promise<void> {
    await client.query(`UPDATE customers SET status = 'ACTIVE', keycloak_user_id = $2, activated_at = now(), updated_at = now() WHERE id = $1`, [row.customer_id, keycloakUserId]);
    await client.query(
      `UPDATE provisioning SET completed_at = now(), password_ciphertext = NULL, transaction_pin_hash = NULL, keycloak_user_id = $2, attempts = attempts + 1, last_error = NULL WHERE customer_id = $1`,
      [row.customer_id, keycloakUserId],
    );
    await enqueue(client, {
      topic: TOPICS.accountCreated,
      key: row.customer_id,
      aggregateId: row.customer_id,
      correlationId: row.correlation_id,
      payload: {
        customerId: row.customer_id,
        keycloakUserId,
        fullName: row.full_name,
        cpf: row.cpf,
        email: row.email,
        phone: row.phone,
        // The PIN's keyed hash, for payments to verify the PIN with the same key; never the PIN.
        ...(row.transaction_pin_hash ? { transactionPinHash: row.transaction_pin_hash } : {}),
      },
    });
  }

  /** Provisions every approved customer whose retry is due; returns how many became ACTIVE. */
  async runDue(limit = 20): Promise<number> {
    const { rows } = await this.opts.pool.query<{ customer_id: string }>(
      `SELECT p.customer_id FROM provisioning p JOIN customers c ON c.id = p.customer_id
        WHERE p.completed_at IS NULL AND c.status = 'APPROVED' AND p.next_attempt_at <= now()
        ORDER BY p.next_attempt_at LIMIT $1`,
      [limit],
    );
    let active = 0;
    for (const r of rows) if ((await this.provision(r.customer_id)) === 'ACTIVE') active++;
    return active;
  }

  /** Starts the retry worker (inside the onboarding process). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          await this.runDue();
        } catch (err) {
          this.opts.logger.warn({ err }, 'provisioning worker: pass failed');
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.opts.pollIntervalMs ?? 1000);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }
}
