// @krt/bff: the BFF's sessions, OIDC client, gateway (allow-list, replicas, breaker, rate limits), dashboard fan-out,
// live events and API description. apps/bff wires these into routes.
export * from './session/session-crypto';
export * from './session/session-cookie';
export * from './session/session-store';
export * from './session/session-service';
export * from './session/device-label';
export * from './oidc/oidc-client';
export * from './oidc/logout-token';
export * from './gateway/allow-list';
export * from './gateway/proxy-headers';
export * from './gateway/upstream-pool';
export * from './gateway/rate-limit';
export * from './gateway/redis-gate';
export * from './gateway/read-cache';
export * from './dashboard/dashboard';
export * from './live/live-hub';
export * from './live/live-sources';
export * from './openapi/merge';
export * from './compression/content-encoding';
export * from './admin/audit-merge';
