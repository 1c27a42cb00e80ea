// Point-in-time recovery (seed §5): the scripted restore drill, with small data, against the stack's real PostgreSQL.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PITR_PORT, runPitrDrill } from '../../../scripts/pitr-drill.mjs';

describe('point-in-time recovery from the WAL archive', () => {
  it('when a mistaken deposit commits after the chosen moment, then the restored copy holds exactly the balances at that moment', async () => {
    const lines: string[] = [];
    const result = await runPitrDrill({ log: (l) => lines.push(l), timeoutMs: 100_000 });

    expect(result.problems).toEqual([]);
    // The primary moved on: it has the mistaken deposit…
    expect(result.afterMistake).toEqual({ A: '100129900', B: '70000' });
    // …the copy is the state at the target, to the transaction: the good writes before it, nothing after.
    expect(result.expected).toEqual({ A: '130000', B: '70000' });
    expect(result.restored).toEqual(result.expected);
    expect(result.restoredRows).toBe(4);
    expect(result.stopLine).toMatch(/recovery stopping before (commit|abort) of transaction \d+/);
    // The restore stopped at the first commit after the target, never before it.
    const stoppedAt = new Date(result.stopLine!.replace(/^.*time /, '').replace(' ', 'T').replace(/\+00$/, 'Z'));
    expect(stoppedAt.getTime()).toBeGreaterThanOrEqual(new Date(result.target.replace(' ', 'T').replace(/\+00$/, 'Z')).getTime());
    if (result.paymentsLedger) {
      expect(result.paymentsLedger.totalPosted).toBe('0');
      expect(result.paymentsLedger.unbalancedJournals).toBe(0);
      expect(result.paymentsLedger.accountsOffEntries).toBe(0);
    }
    expect(result.seconds).toBeLessThan(60);
  }, 120_000);

  it('when the drill is over, then the restored copy is stopped and its files are gone', async () => {
    const listening = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ port: PITR_PORT, host: '127.0.0.1' });
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    expect(listening).toBe(false);
    const pitrDir = path.resolve(process.env.KRT_STACK_DIR ?? '.stack', 'pitr');
    const leftovers = fs.existsSync(pitrDir) ? fs.readdirSync(pitrDir).filter((d) => d.startsWith('drill-')) : [];
    expect(leftovers).toEqual([]);
  });
});
