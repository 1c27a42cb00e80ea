#!/usr/bin/env node
// Point-in-time recovery drill (seed §5): proves the primary's WAL archive can bring a copy of the database back to a
// chosen moment — here, just before a mistaken deposit.
//
//   node scripts/pitr-drill.mjs            run it against the stack's PostgreSQL (5433); prints a report; exit 1 on failure
//
// Steps: (1) base backup of the primary into .stack/pitr/<run>/data (pg_basebackup -X none: every WAL segment the
// restore needs must come from the archive, as in a real disaster); (2) good writes in a scratch ledger (database
// pitr_drill); (3) the target moment is read from the server clock; (4) a "mistaken" deposit commits after it;
// (5) pg_switch_wal() and wait until that segment is archived; (6) the backup is started on 5435 with
// recovery.signal, restore_command (cp from .stack/postgres/wal-archive), recovery_target_time and
// recovery_target_action=promote; (7) once promoted, the scratch ledger must equal the state at the target exactly
// (good writes present, the mistake absent) and, when the payments ledger exists, the books must balance there;
// (8) the copy is stopped and deleted. The primary is never stopped. Bounded: every wait has a deadline.
import fs from 'node:fs';
import path from 'node:path';
import { componentDir, isPidAlive, portOpen, readPid, run, runOrThrow, sleep, step, waitFor } from './stack/common.mjs';
import { PG_PORT, binDir, pgUser, postgres, psqlOn, walArchiveDir } from './stack/postgres.mjs';

export const PITR_PORT = Number(process.env.PITR_PORT ?? 5435);
export const DRILL_DB = 'pitr_drill';
const REPLICATION_USER = process.env.PG_REPLICATION_USER ?? 'replicator';
const REPLICATION_PASSWORD = process.env.PG_REPLICATION_PASSWORD ?? 'replicator';

function sql(port, statement, db = 'postgres') {
  const r = psqlOn(port, statement, db);
  if (r.status !== 0) throw new Error(`psql on ${port}/${db} failed: ${(r.stderr || r.stdout).trim()}\n  statement: ${statement}`);
  return r.stdout.trim();
}

/** Rows of `select account, balance` as an object { account: balance (bigint as string) }. */
function balances(port, runId) {
  const out = sql(port, `select account || '=' || sum(amount) from drill_entries where run_id = '${runId}' group by account order by account`, DRILL_DB);
  return Object.fromEntries(out.split('\n').filter(Boolean).map((line) => line.split('=')));
}

function ensureScratchLedger() {
  if (sql(PG_PORT, `select count(*) from pg_database where datname = '${DRILL_DB}'`) === '0') sql(PG_PORT, `create database ${DRILL_DB}`);
  sql(PG_PORT, `create table if not exists drill_entries (
      id bigserial primary key, run_id text not null, journal int not null, account text not null,
      amount bigint not null, note text not null, committed_at timestamptz not null default clock_timestamp())`, DRILL_DB);
}

/** Consistency of the payments ledger on `port` (undefined when that database has no ledger yet). */
function paymentsLedgerCheck(port, target) {
  const hasLedger = sql(port, "select count(*) from pg_tables where tablename in ('accounts', 'ledger_entries')", 'payments');
  if (hasLedger !== '2') return undefined;
  const [accounts, totalPosted] = sql(port, 'select count(*) || \'|\' || coalesce(sum(posted), 0) from accounts', 'payments').split('|');
  const unbalancedJournals = Number(sql(port, `select count(*) from (select journal_id from ledger_entries group by journal_id
      having sum(case direction when 'CREDIT' then amount else -amount end) <> 0) j`, 'payments'));
  const accountsOffEntries = Number(sql(port, `select count(*) from accounts a left join (select account_id,
      sum(case direction when 'CREDIT' then amount else -amount end) as net from ledger_entries group by account_id) e
      on e.account_id = a.id where a.posted <> coalesce(e.net, 0)`, 'payments'));
  const entriesAfterTarget = Number(sql(port, `select count(*) from ledger_entries where occurred_at > '${target}'::timestamptz`, 'payments'));
  return { accounts: Number(accounts), totalPosted: BigInt(totalPosted), unbalancedJournals, accountsOffEntries, entriesAfterTarget };
}

/**
 * Runs the drill once; resolves with what it found, throws when the restored copy is not the state at the target.
 * `log` receives progress lines.
 */
export async function runPitrDrill({ log = step, keep = false, timeoutMs = 120_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  const left = () => Math.max(1000, deadline - Date.now());
  if (!(await postgres.healthy().catch(() => false))) throw new Error(`the primary on ${PG_PORT} is not running (node scripts/stack.mjs up postgres)`);
  if (await portOpen(PITR_PORT)) throw new Error(`port ${PITR_PORT} is taken (another drill running?); set PITR_PORT`);

  const bin = binDir();
  const { uid, gid } = pgUser();
  const runId = `drill-${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${process.pid}`;
  const root = componentDir('pitr');
  fs.chownSync(root, uid, gid);
  const workDir = path.join(root, runId);
  const dataDir = path.join(workDir, 'data');
  const logFile = path.join(workDir, 'restore.log');
  fs.mkdirSync(workDir, { recursive: true });
  fs.chownSync(workDir, uid, gid);
  const asPostgres = { uid, gid, cwd: workDir };
  const started = Date.now();

  try {
    ensureScratchLedger();

    log(`pitr: (1) base backup of the primary into ${path.relative(process.cwd(), dataDir)} (WAL from the archive only)`);
    runOrThrow('pitr', path.join(bin, 'pg_basebackup'), [
      '-h', '127.0.0.1', '-p', String(PG_PORT), '-U', REPLICATION_USER, '-D', dataDir,
      '-X', 'none', '-c', 'fast', '--no-password', '--label', runId,
    ], { ...asPostgres, env: { ...process.env, PGPASSWORD: REPLICATION_PASSWORD }, timeout: left() });

    log('pitr: (2) good writes after the backup: deposits to A and B, then A pays B');
    sql(PG_PORT, `insert into drill_entries (run_id, journal, account, amount, note) values
      ('${runId}', 1, 'A', 150000, 'deposit'), ('${runId}', 2, 'B', 50000, 'deposit')`, DRILL_DB);
    sql(PG_PORT, `insert into drill_entries (run_id, journal, account, amount, note) values
      ('${runId}', 3, 'A', -20000, 'pix to B'), ('${runId}', 3, 'B', 20000, 'pix from A')`, DRILL_DB);
    await sleep(50);
    const target = sql(PG_PORT, 'select clock_timestamp()::text');
    const expected = balances(PG_PORT, runId);
    const ledgerAtTarget = paymentsLedgerCheck(PG_PORT, target);
    log(`pitr: (3) target moment ${target}: balances ${JSON.stringify(expected)}`);
    await sleep(50);

    sql(PG_PORT, `insert into drill_entries (run_id, journal, account, amount, note) values ('${runId}', 4, 'A', 99999900, 'MISTAKEN deposit')`, DRILL_DB);
    const afterMistake = balances(PG_PORT, runId);
    log(`pitr: (4) mistaken deposit committed after the target: balances now ${JSON.stringify(afterMistake)}`);

    const segment = sql(PG_PORT, 'select pg_walfile_name(pg_switch_wal())');
    log(`pitr: (5) WAL switched; waiting for ${segment} in the archive`);
    await waitFor('pitr: archiving', () => sql(PG_PORT, 'select coalesce(last_archived_wal, \'\') from pg_stat_archiver') >= segment, {
      timeoutMs: Math.min(left(), 30_000),
      intervalMs: 200,
    });

    log(`pitr: (6) restoring the backup on ${PITR_PORT} to ${target}`);
    fs.writeFileSync(path.join(dataDir, 'recovery.signal'), '');
    fs.chownSync(path.join(dataDir, 'recovery.signal'), uid, gid);
    fs.appendFileSync(path.join(dataDir, 'postgresql.auto.conf'), [
      '# restore drill',
      `restore_command = 'cp ${walArchiveDir()}/%f %p'`,
      `recovery_target_time = '${target}'`,
      "recovery_target_action = 'promote'",
      // The copy must never write into the primary's archive (its new timeline would pollute it).
      "archive_mode = 'off'",
      '',
    ].join('\n'));
    fs.writeFileSync(logFile, '');
    fs.chownSync(logFile, uid, gid);
    const options = [`-p ${PITR_PORT}`, `-k ${workDir}`, '-c listen_addresses=127.0.0.1', '-c shared_buffers=32MB', '-c max_connections=300'].join(' ');
    runOrThrow('pitr', path.join(bin, 'pg_ctl'), ['start', '-D', dataDir, '-l', logFile, '-w', '-t', String(Math.ceil(left() / 1000)), '-o', options], asPostgres);
    await waitFor('pitr: recovery to the target', () => psqlOn(PITR_PORT, 'select pg_is_in_recovery()').stdout.trim() === 'f', {
      timeoutMs: Math.min(left(), 60_000),
      intervalMs: 250,
    });
    const restoreLog = fs.readFileSync(logFile, 'utf8');
    // The first transaction to end after the target may be an abort (a concurrent rollback on the primary).
    const stopLine = /recovery stopping before (?:commit|abort) of transaction \d+, time [^\n]+/.exec(restoreLog)?.[0];

    log('pitr: (7) checking the restored copy');
    const restored = balances(PITR_PORT, runId);
    const restoredRows = Number(sql(PITR_PORT, `select count(*) from drill_entries where run_id = '${runId}'`, DRILL_DB));
    const mistakeRestored = Number(sql(PITR_PORT, `select count(*) from drill_entries where run_id = '${runId}' and note like 'MISTAKEN%'`, DRILL_DB));
    const ledger = paymentsLedgerCheck(PITR_PORT, target);

    const problems = [];
    if (JSON.stringify(restored) !== JSON.stringify(expected)) problems.push(`balances ${JSON.stringify(restored)} differ from the target's ${JSON.stringify(expected)}`);
    if (restoredRows !== 4) problems.push(`${restoredRows} scratch rows restored, 4 expected`);
    if (mistakeRestored !== 0) problems.push('the mistaken deposit was restored');
    if (!stopLine) {
      const recoveryLines = restoreLog.split('\n').filter((l) => /recovery|redo/i.test(l)).slice(-6).join(' | ');
      problems.push(`the restore log does not show recovery stopping at the target (its recovery lines: ${recoveryLines})`);
    }
    if (ledger) {
      if (ledger.totalPosted !== 0n) problems.push(`payments ledger: the sum of all balances is ${ledger.totalPosted}, not 0`);
      if (ledger.unbalancedJournals) problems.push(`payments ledger: ${ledger.unbalancedJournals} unbalanced journals`);
      if (ledger.accountsOffEntries) problems.push(`payments ledger: ${ledger.accountsOffEntries} accounts whose balance differs from their entries`);
      if (ledger.entriesAfterTarget) problems.push(`payments ledger: ${ledger.entriesAfterTarget} entries dated after the target`);
    }
    const result = {
      runId,
      target,
      expected,
      afterMistake,
      restored,
      restoredRows,
      stopLine,
      paymentsLedger: ledger ? { ...ledger, totalPosted: String(ledger.totalPosted) } : undefined,
      paymentsLedgerAtTarget: ledgerAtTarget ? { accounts: ledgerAtTarget.accounts } : undefined,
      seconds: Number(((Date.now() - started) / 1000).toFixed(1)),
      problems,
    };
    if (problems.length) {
      const err = new Error(`restore drill FAILED: ${problems.join('; ')}`);
      err.result = result;
      throw err;
    }
    log(`pitr: OK in ${result.seconds} s — restored exactly to ${target}: ${JSON.stringify(restored)}${ledger ? `; payments ledger balanced there (${ledger.accounts} accounts)` : ''}`);
    return result;
  } finally {
    const pid = readPid(path.join(dataDir, 'postmaster.pid'));
    if (isPidAlive(pid)) run(path.join(bin, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-t', '30'], asPostgres);
    if (!keep) fs.rmSync(workDir, { recursive: true, force: true });
    // The scratch rows are the drill's own; the primary keeps no trace of the run.
    psqlOn(PG_PORT, `delete from drill_entries where run_id = '${runId}'`, DRILL_DB);
  }
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) {
  runPitrDrill({ keep: process.argv.includes('--keep') }).then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e) => {
      console.error(`\n[pitr] ${e.message}`);
      if (e.result) console.error(JSON.stringify(e.result, null, 2));
      process.exit(1);
    },
  );
}
