// What every onboarding route file shares: the API's type and dependencies, the image answer (the other OpenAPI
// response helpers are @krt/platform/http's), and the bridge that lets a route's schema run the domain's own validators.
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { KeycloakAdminClient, PasswordVault, Provisioner, Validated, Watchlist } from '@krt/onboarding';
import type { AuthEnv, TokenVerifier } from '@krt/platform/auth';
import type { Pool, ReadYourWrites, Redis } from '@krt/platform/persistence';
import type { Logger } from '@krt/platform/telemetry';
import type { Context } from 'hono';

/** The onboarding API every route file registers its routes on (onboardingApi composes them). */
export type OnboardingApi = OpenAPIHono<AuthEnv>;

export interface OnboardingRoutesDeps {
  logger: Logger;
  pool: Pool;
  /** Read routing to the replica (ONBOARDING_READ_DATABASE_URL); without it every read uses `pool`. */
  reads?: ReadYourWrites;
  redis: Redis;
  verify: TokenVerifier;
  keycloak: KeycloakAdminClient;
  vault: PasswordVault;
  /** TRANSACTION_PIN_KEY (shared with payments): the PIN chosen at registration is kept only as its keyed hash. */
  pinKey: Buffer;
  watchlist: Watchlist;
  provisioner: Provisioner;
  rateLimit: { points: number; windowSeconds: number; keyPrefix?: string };
  /** The form's "is this CPF free?" check; defaults to 30 per 10 min per IP. */
  cpfCheckRateLimit?: { points: number; windowSeconds: number };
  trustedProxies?: string[];
  /** How recent the password must be to change the e-mail or phone (ONBOARDING_CONTACT_CHANGE_MAX_AUTH_AGE_SECONDS). */
  contactChangeMaxAuthAgeSeconds: number;
  now?: () => Date;
}

/**
 * The KYC review queue is read on the replica once it has replayed the queue's last change (a registration, an
 * approval, a rejection), so a reviewer never sees an application they just decided still pending. Customer-own
 * reads (status, profile, documents) stay on the primary.
 */
export const KYC_QUEUE = 'kyc-queue';

export const image = { content: { 'image/jpeg': { schema: z.string().openapi({ format: 'binary' }) }, 'image/png': { schema: z.string().openapi({ format: 'binary' }) } } };

export function imageResponse(c: Context, doc: { contentType: string; content: Buffer }) {
  return c.body(new Uint8Array(doc.content), 200, {
    'content-type': doc.contentType,
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
    'content-disposition': 'inline',
  });
}

/**
 * A domain validator's verdict inside a route's schema (a zod transform): its value, or each field problem as a zod
 * issue carrying the same field, code and pt-BR message, so the validation hook answers the same 422 field errors
 * as for any other schema.
 */
export function valueOrIssues<T>(verdict: Validated<T>, ctx: z.RefinementCtx): T {
  if (verdict.ok) return verdict.value;
  for (const e of verdict.errors) ctx.addIssue({ code: 'custom', path: e.field === '(body)' ? [] : [e.field], message: e.message, params: { code: e.code } });
  return z.NEVER;
}
