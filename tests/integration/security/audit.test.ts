// Attacker's checklist — known vulnerabilities: `npm audit --omit=dev --audit-level=high` must report no high or
// critical vulnerability in the production dependencies. The audit needs the registry's advisory endpoint; when that
// endpoint cannot be reached from this machine the test does not pretend: it checks that npm failed for exactly that
// reason (not because of findings) and marks itself skipped with npm's own words, so the gap is visible in the report.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

interface AuditReport {
  metadata?: { vulnerabilities?: Record<'info' | 'low' | 'moderate' | 'high' | 'critical' | 'total', number> };
  vulnerabilities?: Record<string, { severity: string; via: unknown[] }>;
  message?: string;
  statusCode?: number;
  error?: unknown;
}

const UNREACHABLE = /audit endpoint returned an error|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|network|405 Method Not Allowed|403 Forbidden|self.signed|certificate/i;

describe('known vulnerabilities in production dependencies', () => {
  it('when npm audit checks the production dependency tree, then there is no high or critical vulnerability', (ctx) => {
    const run = spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], { encoding: 'utf8', timeout: 120_000 });
    let report: AuditReport = {};
    try {
      report = JSON.parse(run.stdout || '{}') as AuditReport;
    } catch {
      /* not JSON: judged below from stderr */
    }
    const counts = report.metadata?.vulnerabilities;
    if (!counts) {
      // No audit result at all: it must be the advisory service that could not be reached, nothing else.
      const why = `${report.message ?? ''} ${run.stderr ?? ''}`.trim();
      expect(why, 'npm audit produced neither a report nor a recognisable network/endpoint error').toMatch(UNREACHABLE);
      console.warn(`[audit] NOT VERIFIED: npm's advisory endpoint is unreachable from this machine — ${why.split('\n')[0]}`);
      ctx.skip(`npm audit could not reach the advisory endpoint: ${why.split('\n')[0]}`);
    }
    const findings = Object.entries(report.vulnerabilities ?? {})
      .filter(([, v]) => v.severity === 'high' || v.severity === 'critical')
      .map(([name, v]) => `${name} (${v.severity})`);
    expect(findings).toEqual([]);
    expect(counts!.high + counts!.critical).toBe(0);
    expect(run.status).toBe(0);
  }, 150_000);
});
