// The BFF's rate limits come from the platform's limiter factory (libs/platform/src/http/rate-limit.ts), shared with
// onboarding: fixed windows in Redis, RateLimit-* headers, 429 MUITAS_TENTATIVAS with Retry-After, fail open. The API
// hot path counts the same limiters' windows inside its gate script (redis-gate.ts), in the request's one round trip.
export {
  applicable,
  applyLimits,
  createLimiter,
  enforceLimits,
  rateLimit,
  tooManyAttempts,
  type LimitChecks,
  type LimitResult,
  type LimitSpec,
  type Limiter,
  type LimiterOptions,
  type Refusal,
} from '@krt/platform/http';
