// Readiness: each real dependency is checked with a short deadline; /ready answers 503 naming what is down.
export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

export interface ReadinessReport {
  status: 'ready' | 'not_ready';
  checks: Record<string, 'up' | 'down'>;
  down: string[];
  errors?: Record<string, string>;
}

export const READINESS_TIMEOUT_MS = 1500;

export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function readinessReport(checks: ReadinessCheck[], timeoutMs = READINESS_TIMEOUT_MS): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async (c) => {
      try {
        await withDeadline(c.check(), timeoutMs, c.name);
        return [c.name, null] as const;
      } catch (e) {
        return [c.name, e instanceof Error ? e.message : String(e)] as const;
      }
    }),
  );
  const report: ReadinessReport = { status: 'ready', checks: {}, down: [] };
  for (const [name, error] of results) {
    report.checks[name] = error ? 'down' : 'up';
    if (error) {
      report.down.push(name);
      report.errors = { ...report.errors, [name]: error };
    }
  }
  if (report.down.length) report.status = 'not_ready';
  return report;
}
