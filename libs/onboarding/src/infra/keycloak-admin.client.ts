// Keycloak admin REST adapter (realm krt-bank) with the `krt-onboarding` service account (client credentials).
// Every call goes through one circuit breaker + timeout: an unreachable Keycloak fails fast instead of piling up.
import { realmUrls, type KeycloakConfig } from '@krt/platform/config';
import type { Logger } from '@krt/platform/telemetry';
import { callWithBreaker, createBreaker } from '@krt/platform/resilience';

/** Keycloak answered, with a 4xx: a fact about the request, not an outage (does not open the breaker). */
export class KeycloakClientError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`keycloak ${what}: ${status}`);
    this.name = 'KeycloakClientError';
  }
}

export interface KeycloakUser {
  id: string;
  username: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  enabled?: boolean;
  emailVerified?: boolean;
  attributes?: Record<string, string[]>;
}

export interface NewKeycloakUser {
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  password: string;
  customerId: string;
}

export interface KeycloakAdminOptions {
  keycloak: KeycloakConfig;
  clientId: string;
  clientSecret: string;
  logger: Logger;
  timeoutMs?: number;
  halfOpenAfterMs?: number;
  consecutiveFailures?: number;
}

export class KeycloakAdminClient {
  private readonly urls: ReturnType<typeof realmUrls>;
  private readonly breaker;
  private token?: { value: string; expiresAt: number };
  private readonly roleCache = new Map<string, unknown>();

  constructor(private readonly opts: KeycloakAdminOptions) {
    this.urls = realmUrls(opts.keycloak);
    this.breaker = createBreaker({
      name: 'keycloak-admin',
      halfOpenAfterMs: opts.halfOpenAfterMs ?? 5000,
      consecutiveFailures: opts.consecutiveFailures ?? 3,
      isFailure: (e) => !(e instanceof KeycloakClientError),
      logger: opts.logger,
    });
  }

  /**
   * One HTTP call through the breaker, body read inside it (the timeout's signal is aborted once the call
   * settles). 5xx and network errors are failures of Keycloak; 4xx answers are returned.
   */
  private call(what: string, url: string, init: RequestInit = {}): Promise<KcResponse> {
    return callWithBreaker(this.breaker, this.opts.timeoutMs ?? 5000, async (signal) => {
      const res = await fetch(url, { ...init, signal });
      const text = await res.text();
      if (res.status >= 500) throw new Error(`keycloak ${what}: ${res.status}`);
      return { status: res.status, ok: res.ok, location: res.headers.get('location'), text };
    });
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > Date.now()) return this.token.value;
    const res = await this.call('token', this.urls.token, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: this.opts.clientId, client_secret: this.opts.clientSecret }),
    });
    const json = parseJson(res.text) as { access_token?: string; expires_in?: number };
    if (!res.ok || !json.access_token) throw new KeycloakClientError(res.status, '', 'token');
    this.token = { value: json.access_token, expiresAt: Date.now() + Math.max(10, (json.expires_in ?? 60) - 30) * 1000 };
    return json.access_token;
  }

  /** An admin call with the service-account token; a 401 refreshes the token once. */
  private async admin(what: string, path: string, init: RequestInit = {}): Promise<KcResponse> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken();
      const res = await this.call(what, `${this.urls.admin}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) },
      });
      if (res.status === 401 && attempt === 0) {
        this.token = undefined;
        continue;
      }
      return res;
    }
  }

  private expectOk(res: KcResponse, what: string): KcResponse {
    if (!res.ok) throw new KeycloakClientError(res.status, res.text.slice(0, 300), what);
    return res;
  }

  async findUserByUsername(username: string): Promise<KeycloakUser | undefined> {
    const res = this.expectOk(await this.admin('find user', `/users?username=${encodeURIComponent(username)}&exact=true&briefRepresentation=false`), 'find user');
    const users = parseJson(res.text) as KeycloakUser[];
    return users.find((u) => u.username === username.toLowerCase() || u.username === username);
  }

  async getUser(id: string): Promise<KeycloakUser> {
    const res = this.expectOk(await this.admin('get user', `/users/${encodeURIComponent(id)}`), 'get user');
    return parseJson(res.text) as KeycloakUser;
  }

  /** Creates an enabled user with its password and `customer_id`; returns the id, or `undefined` on 409 (already exists). */
  async createUser(user: NewKeycloakUser): Promise<string | undefined> {
    const res = await this.admin('create user', '/users', {
      method: 'POST',
      body: JSON.stringify({
        username: user.username,
        email: user.email,
        emailVerified: true,
        firstName: user.firstName,
        lastName: user.lastName,
        enabled: true,
        attributes: { customer_id: [user.customerId] },
        credentials: [{ type: 'password', value: user.password, temporary: false }],
      }),
    });
    if (res.status === 409) return undefined;
    this.expectOk(res, 'create user');
    const id = res.location?.split('/').pop();
    if (!id) throw new Error('keycloak create user: no Location header');
    return id;
  }

  /** Replaces the user's representation with `changes` merged into the current one (Keycloak drops omitted profile attributes). */
  async updateUser(id: string, changes: (current: KeycloakUser) => KeycloakUser): Promise<void> {
    const current = await this.getUser(id);
    const res = await this.admin('update user', `/users/${encodeURIComponent(id)}`, { method: 'PUT', body: JSON.stringify(changes(current)) });
    this.expectOk(res, 'update user');
  }

  /** Adds a realm role (idempotent: adding a role the user has is a no-op). */
  async assignRealmRole(userId: string, roleName: string): Promise<void> {
    let role = this.roleCache.get(roleName);
    if (!role) {
      const res = this.expectOk(await this.admin('get role', `/roles/${encodeURIComponent(roleName)}`), 'get role');
      role = parseJson(res.text);
      this.roleCache.set(roleName, role);
    }
    const res = await this.admin('assign role', `/users/${encodeURIComponent(userId)}/role-mappings/realm`, { method: 'POST', body: JSON.stringify([role]) });
    this.expectOk(res, 'assign role');
  }

  async realmRoles(userId: string): Promise<string[]> {
    const res = this.expectOk(await this.admin('user roles', `/users/${encodeURIComponent(userId)}/role-mappings/realm`), 'user roles');
    return (parseJson(res.text) as { name: string }[]).map((r) => r.name);
  }
}

interface KcResponse {
  status: number;
  ok: boolean;
  location: string | null;
  text: string;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

/** Keycloak wants a first and a last name: the first word, then the rest. */
export function splitFullName(fullName: string): { firstName: string; lastName: string } {
  const words = fullName.trim().split(/\s+/);
  return { firstName: words[0] ?? fullName, lastName: words.slice(1).join(' ') || (words[0] ?? fullName) };
}
