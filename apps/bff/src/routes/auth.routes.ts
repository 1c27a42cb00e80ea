// /auth/*: browser sign-in (authorization code + PKCE through Keycloak's KRT-themed page), step-up (the password typed
// again), who am I, logout; the password's reset ("Esqueci minha senha") and change ("Alterar senha") through Keycloak's
// own pages on the same code flow. The first-party CPF + password endpoint (POST /auth/session, the OAuth password
// grant) is for automation only and answers only while BFF_PASSWORD_SIGNIN is on (off in production by default).
import {
  allowHeader,
  InvalidLogoutTokenError,
  OidcRejectedError,
  clearCookie,
  createLogoutTokenVerifier,
  createSealer,
  enforceLimits,
  newSessionId,
  readCookie,
  safeReturnUrl,
  serializeCookie,
  sessionKeyHash,
  type ActiveSession,
} from '@krt/bff';
import { Cpf } from '@krt/domain';
import { realmUrls } from '@krt/platform/config';
import { AppError, Errors } from '@krt/platform/http';
import type { AppEnv } from '@krt/platform/http';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { ResolvedBffDeps } from '../app';
import { passwordSignInEnabled } from '../config';
import { clientIpOf, limitBody, requireCsrfHeader } from '../security';

const LOGIN_TTL_SECONDS = 600;

interface PendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnUrl: string;
  /** Set when the flow was started by "Alterar senha": a successful change ends the customer's other sessions. */
  changePassword?: boolean;
  /** Set by the step-up (max_age=0): the ID token's auth_time must be fresh, or the sign-in is refused. */
  maxAge?: number;
}

/** Lengths in characters (code points), as the API description's maxLength counts them. */
const chars = (min: number, max: number) =>
  z.string().refine((v) => {
    const n = [...v].length;
    return n >= min && n <= max;
  }, `Deve ter de ${min} a ${max} caracteres.`);
const signInBody = z.object({ cpf: chars(0, 32), password: chars(1, 256) });

/** The methods each /auth resource has: any other is 405 with Allow. */
const AUTH_METHODS: Record<string, string[]> = {
  '/login': ['GET'],
  '/forgot-password': ['GET'],
  '/change-password': ['GET'],
  '/reauthenticate': ['GET'],
  '/callback': ['GET'],
  '/session': ['POST'],
  '/me': ['GET'],
  '/logout': ['POST'],
  '/backchannel-logout': ['POST'],
};

const maskCpf = (username: string | undefined) => (username && Cpf.isValid(username) ? Cpf.of(username).mask() : undefined);

export function authRoutes(deps: ResolvedBffDeps) {
  const { cfg, sessions, oidc, redis, cookies, limiters } = deps;
  const sealer = createSealer(cfg.BFF_SESSION_KEY);
  const redirectUri = `${cfg.PUBLIC_URL.replace(/\/$/, '')}/auth/callback`;
  const loginKey = (id: string) => `${cfg.REDIS_KEY_PREFIX}login:${sessionKeyHash(id)}`;
  const app = new Hono<AppEnv>();

  const setSessionCookie = (c: Context, s: ActiveSession) =>
    c.header('set-cookie', serializeCookie(cookies.session, s.id, { sameSite: 'Strict', secure: cookies.secure, maxAgeSeconds: (s.expiresAt - Date.now()) / 1000 }), {
      append: true,
    });
  const sessionId = (c: Context) => readCookie(c.req.header('cookie'), cookies.session);
  const ip = clientIpOf(cfg);
  const urls = realmUrls(cfg);
  const verifyLogoutToken = createLogoutTokenVerifier({ issuer: urls.issuer, jwksUrl: urls.jwks, clientId: cfg.BFF_CLIENT_ID });

  /** Starts the authorization code flow (state, nonce and PKCE verifier kept server-side) and redirects to Keycloak. */
  const startCodeFlow = async (c: Context<AppEnv>, returnUrl: string, extra: Record<string, string> = {}) => {
    const changePassword = extra.kc_action === 'UPDATE_PASSWORD';
    const maxAge = extra.max_age === undefined ? undefined : Number(extra.max_age);
    await enforceLimits(c, [[limiters.authPerIp, ip(c)]]);
    const auth = await oidc.startAuthorization(redirectUri).catch((err) => {
      c.var.log.error({ err }, 'Keycloak discovery failed');
      throw Errors.unavailable('keycloak');
    });
    const loginId = newSessionId();
    const pending: PendingLogin = { state: auth.state, nonce: auth.nonce, codeVerifier: auth.codeVerifier, returnUrl, ...(changePassword ? { changePassword } : {}), ...(maxAge === undefined ? {} : { maxAge }) };
    await redis.set(loginKey(loginId), sealer.seal(JSON.stringify(pending)), 'EX', LOGIN_TTL_SECONDS);
    // Lax: the callback arrives as a top-level navigation from Keycloak, another site in production.
    c.header('set-cookie', serializeCookie(cookies.login, loginId, { sameSite: 'Lax', secure: cookies.secure, maxAgeSeconds: LOGIN_TTL_SECONDS }));
    const url = new URL(auth.url);
    for (const [k, v] of Object.entries(extra)) url.searchParams.set(k, v);
    return c.redirect(url.href, 302);
  };

  app.get('/login', (c) => startCodeFlow(c, safeReturnUrl(c.req.query('returnUrl'))));

  // "Esqueci minha senha": Keycloak's sign-in page of the same code flow, whose "Esqueceu sua senha?" starts the reset
  // (e-mail with a link, new password under the realm's policy, "sign out from other devices"). Keycloak 26 has no
  // authorization parameter that opens the reset page directly, and its stand-alone reset link would finish outside
  // this flow (no state), so the customer could not be signed in afterwards. Opening the e-mail's link in this browser
  // finishes the flow: the customer comes back signed in with the new password.
  app.get('/forgot-password', (c) => startCodeFlow(c, safeReturnUrl(c.req.query('returnUrl') ?? '/inicio')));

  // "Alterar senha": Keycloak asks for the current password (prompt=login: always, even within an SSO session), then for
  // the new one (application-initiated action UPDATE_PASSWORD); the callback ends the customer's other sessions.
  app.get('/change-password', (c) => startCodeFlow(c, safeReturnUrl(c.req.query('returnUrl') ?? '/perfil'), { kc_action: 'UPDATE_PASSWORD', prompt: 'login' }));

  // Step-up: the customer types the password again on Keycloak's page (prompt=login: even within a Keycloak session;
  // max_age=0: the ID token's auth_time is checked at the callback), so the new session's tokens carry a fresh
  // auth_time. Payments and onboarding ask for it before sensitive changes (the transaction PIN, a new e-mail or phone:
  // 403 REAUTHENTICATION_REQUIRED).
  app.get('/reauthenticate', (c) => startCodeFlow(c, safeReturnUrl(c.req.query('returnUrl') ?? '/perfil'), { prompt: 'login', max_age: '0' }));

  app.get('/callback', async (c) => {
    await enforceLimits(c, [[limiters.authPerIp, ip(c)]]);
    const loginId = readCookie(c.req.header('cookie'), cookies.login);
    c.header('set-cookie', clearCookie(cookies.login, cookies.secure), { append: true });
    const sealed = loginId ? await redis.getdel(loginKey(loginId)) : null;
    const json = sealed ? sealer.open(sealed) : undefined;
    if (!json) throw new AppError(400, 'LOGIN_EXPIRED', 'O login expirou ou não foi iniciado neste navegador. Entre novamente.');
    const pending = JSON.parse(json) as PendingLogin;
    const callbackUrl = new URL(`${redirectUri}${new URL(c.req.url).search}`);
    let tokens;
    try {
      tokens = await oidc.exchangeCode(callbackUrl, { ...pending, redirectUri });
    } catch (err) {
      if (err instanceof OidcRejectedError) {
        c.var.log.warn({ reason: err.error }, 'authorization code sign-in refused');
        throw new AppError(400, 'LOGIN_FAILED', 'Não foi possível concluir o login. Entre novamente.');
      }
      c.var.log.error({ err }, 'code exchange failed');
      throw Errors.unavailable('keycloak');
    }
    const session = await sessions.signIn(tokens, sessionId(c), { userAgent: c.req.header('user-agent') });
    setSessionCookie(c, session);
    // Keycloak reports the application-initiated action's outcome: success, cancelled or error.
    if (pending.changePassword && callbackUrl.searchParams.get('kc_action_status') === 'success') {
      const { ended } = await sessions.end(session, { scope: 'others' });
      c.var.log.info({ ended }, 'password changed: the other sessions ended');
    }
    return c.redirect(pending.returnUrl, 303);
  });

  // Automation only (load tests, the bench, the demo). Off (production's default): 404 before anything else is looked at.
  const passwordSignIn = async (c: Context<AppEnv>) => {
    const raw = await c.req.json().catch(() => {
      throw new AppError(400, 'BAD_REQUEST', 'Requisição inválida. Verifique os dados enviados.');
    });
    const body = signInBody.parse(raw);
    const cpf = Cpf.parse(body.cpf);
    const address = ip(c);
    // Counted before the CPF is checked, so malformed attempts cannot probe around the limit.
    await enforceLimits(c, [
      [limiters.signinPerIp, address],
      [limiters.signinPerIpCpf, `${address}|${cpf.ok ? cpf.value.value : body.cpf}`],
    ]);
    if (!cpf.ok) throw Errors.validation([{ field: 'cpf', code: 'CPF_INVALID', message: 'CPF inválido.' }]);
    let tokens;
    try {
      tokens = await oidc.passwordGrant(cpf.value.value, body.password);
    } catch (err) {
      if (err instanceof OidcRejectedError) throw new AppError(401, 'CREDENCIAIS_INVALIDAS', 'CPF ou senha incorretos.');
      c.var.log.error({ err }, 'direct grant failed');
      throw Errors.unavailable('keycloak');
    }
    const session = await sessions.signIn(tokens, sessionId(c), { userAgent: c.req.header('user-agent') });
    setSessionCookie(c, session);
    return c.body(null, 204);
  };
  if (passwordSignInEnabled(cfg)) app.post('/session', requireCsrfHeader(), limitBody(4096), passwordSignIn);
  else
    app.post('/session', () => {
      throw new AppError(404, 'PASSWORD_SIGNIN_DISABLED', 'O login com CPF e senha por este endereço está desativado. Entre pela página de login do KRT Bank.');
    });

  app.get('/me', async (c) => {
    const s = await sessions.peek(sessionId(c));
    if (!s) return c.json({ authenticated: false });
    return c.json({
      authenticated: true,
      customerId: s.record.customerId ?? null,
      name: s.record.name ?? null,
      cpf: maskCpf(s.record.username) ?? null,
      roles: s.record.roles.filter((r) => r === 'customer' || r === 'admin'),
      sessionExpiresAt: new Date(s.expiresAt).toISOString(),
      // An operator's own id and user name: the back office tells what they requested themselves (dual control).
      ...(s.record.roles.includes('admin') ? { operator: { id: s.record.userId, username: s.record.username ?? null } } : {}),
    });
  });

  // OpenID Connect Back-Channel Logout: Keycloak (server to server, no cookie, so no anti-forgery header) tells the
  // BFF that a user's Keycloak session ended; every BFF session opened under it ends too. The signed token is the
  // authentication: it must come from the realm's keys, for this client, with the logout event and the session id.
  app.post('/backchannel-logout', limitBody(16 * 1024), async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const token = typeof form.logout_token === 'string' ? form.logout_token : undefined;
    const refused = (why: string) => new AppError(400, 'INVALID_LOGOUT_TOKEN', 'Token de logout inválido.', { extra: { reason: why } });
    if (!token) throw refused('logout_token missing');
    let sid: string | undefined;
    try {
      ({ sid } = await verifyLogoutToken(token));
    } catch (err) {
      if (err instanceof InvalidLogoutTokenError) throw refused(err.message);
      throw err;
    }
    // The realm's client sends the session id (backchannel.logout.session.required); sessions are indexed by it.
    if (!sid) throw refused('logout token without sid');
    await sessions.endKeycloakSession(sid);
    return c.body(null, 200);
  });

  app.post('/logout', requireCsrfHeader(), async (c) => {
    await sessions.logout(sessionId(c));
    c.header('set-cookie', clearCookie(cookies.session, cookies.secure), { append: true });
    return c.body(null, 204);
  });

  for (const [path, methods] of Object.entries(AUTH_METHODS)) {
    app.all(path, () => {
      throw new AppError(405, 'METHOD_NOT_ALLOWED', 'Operação não permitida neste endereço.', { headers: { Allow: allowHeader(methods) } });
    });
  }

  return app;
}
