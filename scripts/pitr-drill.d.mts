// Types for the restore drill, used by tests/integration/scale/pitr.test.ts.
export interface PitrDrillResult {
  runId: string;
  target: string;
  expected: Record<string, string>;
  afterMistake: Record<string, string>;
  restored: Record<string, string>;
  restoredRows: number;
  stopLine?: string;
  paymentsLedger?: { accounts: number; totalPosted: string; unbalancedJournals: number; accountsOffEntries: number; entriesAfterTarget: number };
  seconds: number;
  problems: string[];
}
export declare const PITR_PORT: number;
export declare const DRILL_DB: string;
export declare function runPitrDrill(opts?: { log?: (line: string) => void; keep?: boolean; timeoutMs?: number }): Promise<PitrDrillResult>;
