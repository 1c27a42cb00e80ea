// PostgreSQL 5433: the project's own cluster (not the system service), data under .stack/postgres.
import fs from 'node:fs';
import path from 'node:path';
import { componentDir, ensureApt, logPath, portOpen, readPid, isPidAlive, run, runOrThrow, step, StackError, waitFor } from './common.mjs';

export const PG_PORT = Number(process.env.PG_PORT ?? 5433);
const SUPERUSER_PASSWORD = process.env.PG_SUPERUSER_PASSWORD ?? 'postgres';
/** Databases and their owners (development credentials; production passes its own through the environment). */
export const DATABASES = [
  { name: 'payments', owner: 'krt', password: 'krt' },
  { name: 'onboarding', owner: 'krt', password: 'krt' },
  { name: 'notifications', owner: 'krt', password: 'krt' },
  { name: 'keycloak', owner: 'keycloak', password: 'keycloak' },
];

/** Settings a hot standby must match or exceed (PostgreSQL refuses to run a standby with less). */
export const SERVER_LIMITS = { max_connections: 300, max_wal_senders: 5 };

export function binDir() {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return undefined;
  const versions = fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, 'bin/postgres'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], 'bin') : undefined;
}

export function pgUser() {
  const r = run('id', ['-u', 'postgres']);
  const g = run('id', ['-g', 'postgres']);
  if (r.status !== 0) throw new StackError('postgres', 'the "postgres" system user is missing (it comes with the postgresql package)');
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

const dataDir = () => path.join(componentDir('postgres'), 'data');
const socketDir = () => path.join(componentDir('postgres'), 'run');
/** Where the primary archives every WAL segment (the read replica's fallback and the restore drill's source). */
export const walArchiveDir = () => path.join(componentDir('postgres'), 'wal-archive');

/** Runs one SQL statement as the superuser on `port` (the primary by default); returns the spawn result. */
export function psqlOn(port, sql, db = 'postgres') {
  return run('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', db, '-v', 'ON_ERROR_STOP=1', '-tAc', sql], {
    env: { ...process.env, PGPASSWORD: SUPERUSER_PASSWORD, PGCONNECT_TIMEOUT: '3' },
  });
}

function psql(sql, db = 'postgres') {
  return psqlOn(PG_PORT, sql, db);
}

export const postgres = {
  name: 'postgres',
  ports: [PG_PORT],
  pid() {
    const pid = readPid(path.join(dataDir(), 'postmaster.pid'));
    return isPidAlive(pid) ? pid : undefined;
  },
  async healthy() {
    const r = psql('select 1');
    return r.status === 0 && r.stdout.trim() === '1';
  },
  install() {
    ensureApt('postgres', ['postgresql', 'postgresql-client'], () => Boolean(binDir()) && Boolean(run('sh', ['-c', 'command -v psql']).stdout.trim()));
  },
  async start() {
    const bin = binDir();
    const { uid, gid } = pgUser();
    const dir = componentDir('postgres');
    fs.chownSync(dir, uid, gid);
    fs.mkdirSync(socketDir(), { recursive: true });
    fs.chownSync(socketDir(), uid, gid);
    const log = logPath('postgres');
    if (!fs.existsSync(log)) fs.writeFileSync(log, '');
    fs.chownSync(log, uid, gid);
    if (!fs.existsSync(path.join(dataDir(), 'PG_VERSION'))) {
      step('postgres: initdb (first run)');
      const pwfile = path.join(dir, '.pwfile');
      fs.writeFileSync(pwfile, `${SUPERUSER_PASSWORD}\n`, { mode: 0o600 });
      fs.chownSync(pwfile, uid, gid);
      runOrThrow('postgres', path.join(bin, 'initdb'), ['-D', dataDir(), '-U', 'postgres', '--pwfile', pwfile, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8'], { uid, gid, cwd: dir });
      fs.rmSync(pwfile);
    }
    fs.mkdirSync(walArchiveDir(), { recursive: true });
    fs.chownSync(walArchiveDir(), uid, gid);
    const options = [
      `-p ${PG_PORT}`,
      `-k ${socketDir()}`,
      "-c listen_addresses=127.0.0.1",
      `-c max_connections=${SERVER_LIMITS.max_connections}`,
      '-c shared_buffers=256MB',
      '-c wal_level=replica',
      `-c max_wal_senders=${SERVER_LIMITS.max_wal_senders}`,
      '-c archive_mode=on',
      `-c archive_command='test ! -f ${path.join(dir, 'wal-archive')}/%f && cp %p ${path.join(dir, 'wal-archive')}/%f'`,
      '-c log_min_duration_statement=1000',
    ].join(' ');
    runOrThrow('postgres', path.join(bin, 'pg_ctl'), ['start', '-D', dataDir(), '-l', log, '-w', '-t', '60', '-o', options], { uid, gid, cwd: dir });
    await waitFor('postgres', () => this.healthy(), { timeoutMs: 30_000 });
    this.provision();
  },
  provision() {
    for (const db of DATABASES) {
      const role = psql(`select 1 from pg_roles where rolname='${db.owner}'`);
      if (role.stdout.trim() !== '1') {
        const r = psql(`create role ${db.owner} login password '${db.password}'`);
        if (r.status !== 0 && !/already exists/.test(r.stderr)) throw new StackError('postgres', r.stderr);
      }
      const exists = psql(`select 1 from pg_database where datname='${db.name}'`);
      if (exists.stdout.trim() !== '1') {
        step(`postgres: creating database ${db.name}`);
        const r = psql(`create database ${db.name} owner ${db.owner}`);
        if (r.status !== 0 && !/already exists/.test(r.stderr)) throw new StackError('postgres', r.stderr);
      }
    }
    // The replication role is used by the read replica and the restore drill.
    psql(`do $$ begin if not exists (select 1 from pg_roles where rolname='replicator') then create role replicator replication login password 'replicator'; end if; end $$`);
  },
  async stop() {
    if (!this.pid()) return false;
    const { uid, gid } = pgUser();
    run(path.join(binDir(), 'pg_ctl'), ['stop', '-D', dataDir(), '-m', 'fast', '-w', '-t', '30'], { uid, gid, cwd: componentDir('postgres') });
    return true;
  },
  async portTaken() {
    return portOpen(PG_PORT);
  },
};
