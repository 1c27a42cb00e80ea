// PostgreSQL read replica on 5434: a hot standby streaming from the primary (5433), built once with
// `pg_basebackup -R` and falling back to the primary's WAL archive when it has fallen behind.
// Services read through it with PAYMENTS_READ_DATABASE_URL / ONBOARDING_READ_DATABASE_URL (see apps.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { componentDir, isPidAlive, logPath, portOpen, readPid, run, runOrThrow, step, StackError, waitFor } from './common.mjs';
import { PG_PORT, SERVER_LIMITS, binDir, pgUser, postgres, psqlOn, walArchiveDir } from './postgres.mjs';

export const PG_REPLICA_PORT = Number(process.env.PG_REPLICA_PORT ?? 5434);
const REPLICATION_USER = process.env.PG_REPLICATION_USER ?? 'replicator';
const REPLICATION_PASSWORD = process.env.PG_REPLICATION_PASSWORD ?? 'replicator';

const NAME = 'postgres-replica';
const dataDir = () => path.join(componentDir(NAME), 'data');
const socketDir = () => path.join(componentDir(NAME), 'run');

/** `postgres://krt:krt@127.0.0.1:5434/<db>`: the read pool URL of a service database on the replica. */
export const replicaDatabaseUrl = (db, user = 'krt', password = 'krt') => `postgres://${user}:${password}@127.0.0.1:${PG_REPLICA_PORT}/${db}`;

function systemIdentifierOfDataDir(uid, gid) {
  const r = run(path.join(binDir(), 'pg_controldata'), ['-D', dataDir()], { uid, gid, env: { ...process.env, LC_ALL: 'C' } });
  return /Database system identifier:\s+(\d+)/.exec(r.stdout ?? '')?.[1];
}

function systemIdentifierOfPrimary() {
  const r = psqlOn(PG_PORT, 'select system_identifier from pg_control_system()');
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Bytes of WAL the replica has not replayed yet (0 = caught up), or undefined when either side is unreachable. */
export function replicaLagBytes() {
  const primary = psqlOn(PG_PORT, 'select pg_current_wal_lsn()');
  if (primary.status !== 0) return undefined;
  const r = psqlOn(PG_REPLICA_PORT, `select greatest(0, pg_wal_lsn_diff('${primary.stdout.trim()}', pg_last_wal_replay_lsn()))::bigint`);
  return r.status === 0 ? Number(r.stdout.trim()) : undefined;
}

export const postgresReplica = {
  name: NAME,
  ports: [PG_REPLICA_PORT],
  pid() {
    const pid = readPid(path.join(dataDir(), 'postmaster.pid'));
    return isPidAlive(pid) ? pid : undefined;
  },
  /** Healthy = accepting connections AND still a standby (a promoted copy is not a read replica). */
  async healthy() {
    const r = psqlOn(PG_REPLICA_PORT, 'select pg_is_in_recovery()');
    return r.status === 0 && r.stdout.trim() === 't';
  },
  install() {
    postgres.install();
  },
  async start() {
    if (!(await postgres.healthy().catch(() => false))) {
      throw new StackError(NAME, `the primary on ${PG_PORT} is not running; start it first (node scripts/stack.mjs up postgres)`);
    }
    const bin = binDir();
    const { uid, gid } = pgUser();
    const dir = componentDir(NAME);
    fs.chownSync(dir, uid, gid);
    fs.mkdirSync(socketDir(), { recursive: true });
    fs.chownSync(socketDir(), uid, gid);
    const log = logPath(NAME);
    if (!fs.existsSync(log)) fs.writeFileSync(log, '');
    fs.chownSync(log, uid, gid);

    // A replica of an older primary (the primary was re-initialised) can never catch up: rebuild it.
    if (fs.existsSync(path.join(dataDir(), 'PG_VERSION'))) {
      const mine = systemIdentifierOfDataDir(uid, gid);
      const primary = systemIdentifierOfPrimary();
      if (!mine || !fs.existsSync(path.join(dataDir(), 'standby.signal')) || (primary && mine !== primary)) {
        step(`${NAME}: data directory does not belong to the current primary, rebuilding it`);
        fs.rmSync(dataDir(), { recursive: true, force: true });
      }
    }
    if (!fs.existsSync(path.join(dataDir(), 'PG_VERSION'))) {
      step(`${NAME}: base backup from the primary (pg_basebackup -R, first run)`);
      const started = Date.now();
      // -R writes standby.signal and primary_conninfo; -X stream copies the WAL written during the backup.
      runOrThrow(NAME, path.join(bin, 'pg_basebackup'), [
        '-h', '127.0.0.1', '-p', String(PG_PORT), '-U', REPLICATION_USER,
        '-D', dataDir(), '-R', '-X', 'stream', '-c', 'fast', '--no-password',
        '--label', 'krt read replica',
      ], { uid, gid, cwd: dir, env: { ...process.env, PGPASSWORD: REPLICATION_PASSWORD, PGAPPNAME: NAME } });
      step(`${NAME}: base backup done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    const options = [
      `-p ${PG_REPLICA_PORT}`,
      `-k ${socketDir()}`,
      '-c listen_addresses=127.0.0.1',
      // A hot standby needs at least the primary's limits.
      `-c max_connections=${SERVER_LIMITS.max_connections}`,
      `-c max_wal_senders=${SERVER_LIMITS.max_wal_senders}`,
      '-c shared_buffers=64MB',
      '-c hot_standby=on',
      // Long reports on the replica hold back vacuum on the primary instead of being cancelled.
      '-c hot_standby_feedback=on',
      `-c cluster_name=${NAME}`,
      // Streams from the primary; when the primary no longer has the WAL it needs, reads the archive.
      `-c restore_command='cp ${walArchiveDir()}/%f %p'`,
      '-c archive_mode=off',
      '-c log_min_duration_statement=1000',
    ].join(' ');
    runOrThrow(NAME, path.join(bin, 'pg_ctl'), ['start', '-D', dataDir(), '-l', log, '-w', '-t', '60', '-o', options], { uid, gid, cwd: dir });
    await waitFor(NAME, () => this.healthy(), { timeoutMs: 60_000 });
  },
  async stop() {
    if (!this.pid()) return false;
    const { uid, gid } = pgUser();
    run(path.join(binDir(), 'pg_ctl'), ['stop', '-D', dataDir(), '-m', 'fast', '-w', '-t', '30'], { uid, gid, cwd: componentDir(NAME) });
    return true;
  },
  async portTaken() {
    return portOpen(PG_REPLICA_PORT);
  },
};
