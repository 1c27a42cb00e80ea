// The BFF: the one origin the browser talks to. /auth (sessions), /api (gateway, dashboard, live events, docs),
// and the web app (SSR) when it is built.
import { compressResponses, cookiePolicy, type CookiePolicy, type Limiter, type LiveHub, type OidcClient, type ReadCache, type SessionService, type UpstreamName, type UpstreamPool } from '@krt/bff';
import { createServiceApp } from '@krt/platform/http';
import type { Logger } from '@krt/platform/telemetry';
import type { ReadinessCheck } from '@krt/platform/http';
import type { Redis } from '@krt/platform/persistence';
import type { BffConfig } from './config';
import { apiRoutes } from './routes/api.routes';
import { authRoutes } from './routes/auth.routes';
import { noStore, securityHeaders } from './security';
import { mountWeb } from './web';

export interface BffDeps {
  cfg: BffConfig;
  logger: Logger;
  readiness: ReadinessCheck[];
  redis: Redis;
  oidc: OidcClient;
  sessions: SessionService;
  upstreams: Record<UpstreamName, UpstreamPool>;
  limiters: Record<'apiPerSession' | 'apiPerIp' | 'signinPerIpCpf' | 'signinPerIp' | 'authPerIp' | 'registrationPerIp', Limiter>;
  hub: LiveHub;
  reads: ReadCache;
  cookies?: CookiePolicy;
}

export type ResolvedBffDeps = BffDeps & { cookies: CookiePolicy };

export function createBffApp(input: BffDeps) {
  const override = input.cfg.SESSION_COOKIE_SECURE === undefined ? undefined : input.cfg.SESSION_COOKIE_SECURE === 'true';
  const deps: ResolvedBffDeps = { ...input, cookies: input.cookies ?? cookiePolicy(input.cfg.PUBLIC_URL, override) };
  const app = createServiceApp({ service: 'bff', logger: deps.logger, readiness: deps.readiness });
  app.use('*', securityHeaders(deps.cfg));
  // HTML and JSON above 1 KiB go brotli or gzip as the browser accepts; static assets are precompressed (web.ts).
  app.use('*', compressResponses());
  app.use('/auth/*', noStore);
  app.use('/api/*', noStore);
  app.route('/auth', authRoutes(deps));
  app.route('/api', apiRoutes(deps));
  mountWeb(app, { distDir: deps.cfg.WEB_DIST_DIR, logger: deps.logger });
  return app;
}
