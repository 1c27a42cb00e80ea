// Keycloak 8080: realm krt-bank imported from infra/keycloak/krt-bank-realm.json; data in the stack's PostgreSQL.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, TOOLS_DIR, componentDir, ensureApt, isPidAlive, logPath, portOpen, readPid, runOrThrow, spawnDetached, step, stopPid, waitFor, which, StackError } from './common.mjs';
import { PG_PORT } from './postgres.mjs';

export const KEYCLOAK_VERSION = '26.0.8';
export const KEYCLOAK_PORT = Number(process.env.KEYCLOAK_PORT ?? 8080);
const MANAGEMENT_PORT = Number(process.env.KEYCLOAK_MANAGEMENT_PORT ?? 9000);
const REALM_FILE = path.join(ROOT, 'infra/keycloak/krt-bank-realm.json');
// The bank's login theme (the realm's loginTheme), copied into Keycloak's themes/ directory at every start.
const THEME_DIR = path.join(ROOT, 'infra/keycloak/themes/krt');
// Placeholders of the realm file, resolved by Keycloak at import: where it POSTs back-channel logouts (the BFF), and
// the SMTP server its e-mails (password reset, password changed) go to: the stack's catcher.
const REALM_ENV = {
  KRT_BFF_BACKCHANNEL_LOGOUT_URL: process.env.KRT_BFF_BACKCHANNEL_LOGOUT_URL ?? 'http://127.0.0.1:5000/auth/backchannel-logout',
  KRT_SMTP_HOST: process.env.KRT_SMTP_HOST ?? '127.0.0.1',
  KRT_SMTP_PORT: process.env.KRT_SMTP_PORT ?? '1025',
};

/** The realm file's `${NAME}` placeholders replaced as Keycloak's import does, from REALM_ENV. */
const resolvePlaceholders = (value) =>
  JSON.parse(JSON.stringify(value), (_k, v) => (typeof v === 'string' ? v.replace(/\$\{(KRT_[A-Z_]+)\}/g, (m, name) => REALM_ENV[name] ?? m) : v));
const home = () => path.join(TOOLS_DIR, `keycloak-${KEYCLOAK_VERSION}`);
const pidFile = () => path.join(componentDir('keycloak'), 'keycloak.pid');
const discovery = () => `http://127.0.0.1:${KEYCLOAK_PORT}/realms/krt-bank/.well-known/openid-configuration`;
const ADMIN = { username: process.env.KEYCLOAK_ADMIN ?? 'admin', password: process.env.KEYCLOAK_ADMIN_PASSWORD ?? 'admin' };

// Realm settings that must hold on a database imported before they were added to the realm file (the stack imports
// the realm only once): password reset by e-mail through the SMTP catcher, and Keycloak's `email` event listener, which
// tells the customer by e-mail when the password changes, and the KRT login theme. Taken from the realm file, so the
// two cannot disagree.
const LIVE_REALM_SETTINGS = ['resetPasswordAllowed', 'smtpServer', 'eventsListeners', 'internationalizationEnabled', 'supportedLocales', 'defaultLocale', 'loginTheme'];

/**
 * Idempotent: replaces Keycloak's themes/krt with infra/keycloak/themes/krt (read by Keycloak at runtime), and drops
 * the gzip copies Keycloak keeps of the theme's CSS and JS (data/tmp/kc-gzip-cache/<version>/<type>/krt), which would
 * otherwise outlive a change: their URL does not change between restarts of the same Keycloak.
 */
function installTheme() {
  const name = path.basename(THEME_DIR);
  const target = path.join(home(), 'themes', name);
  fs.rmSync(target, { recursive: true, force: true });
  fs.cpSync(THEME_DIR, target, { recursive: true });
  const gzipCache = path.join(home(), 'data/tmp/kc-gzip-cache');
  for (const version of fs.existsSync(gzipCache) ? fs.readdirSync(gzipCache) : []) {
    for (const type of fs.readdirSync(path.join(gzipCache, version))) fs.rmSync(path.join(gzipCache, version, type, name), { recursive: true, force: true });
  }
}

async function applyRealmSettings() {
  const realm = JSON.parse(fs.readFileSync(REALM_FILE, 'utf8'));
  const base = `http://127.0.0.1:${KEYCLOAK_PORT}`;
  const tokenRes = await fetch(`${base}/realms/master/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: 'admin-cli', grant_type: 'password', ...ADMIN }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!tokenRes.ok) throw new StackError('keycloak', `admin sign-in failed (HTTP ${tokenRes.status}) while applying the realm settings`);
  const { access_token: token } = await tokenRes.json();
  const body = resolvePlaceholders(Object.fromEntries(LIVE_REALM_SETTINGS.filter((k) => k in realm).map((k) => [k, realm[k]])));
  const res = await fetch(`${base}/admin/realms/krt-bank`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new StackError('keycloak', `applying the realm settings failed (HTTP ${res.status}): ${await res.text()}`);
  await ensureOperators(realm, base, token);
}

/**
 * The realm file's operators (users with the realm role `admin`: `operador`, and `supervisora`, the second operator
 * that dual-control deposits need) on a realm imported before they were added: each one missing is created as the
 * file describes it (password, verified e-mail, no required actions, realm roles). An existing user is left as is.
 */
export async function ensureOperators(realm, base, token) {
  const admin = `${base}/admin/realms/krt-bank`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const call = async (method, url, body) => {
    const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new StackError('keycloak', `${method} ${url.slice(admin.length) || '/'} failed (HTTP ${res.status}): ${await res.text()}`);
    return res;
  };
  for (const user of (realm.users ?? []).filter((u) => u.realmRoles?.includes('admin'))) {
    const found = await (await call('GET', `${admin}/users?exact=true&username=${encodeURIComponent(user.username)}`)).json();
    if (found.length > 0) continue;
    const { realmRoles, ...representation } = user;
    const created = await call('POST', `${admin}/users`, { ...representation, requiredActions: [] });
    const id = created.headers.get('location').split('/').pop();
    const roles = await Promise.all(realmRoles.map(async (name) => (await call('GET', `${admin}/roles/${encodeURIComponent(name)}`)).json()));
    await call('POST', `${admin}/users/${id}/role-mappings/realm`, roles);
    step(`keycloak: created the operator ${user.username} (realm role admin) from the realm file`);
  }
}

function m2Zip() {
  return path.join(os.homedir(), '.m2/repository/org/keycloak/keycloak-quarkus-dist', KEYCLOAK_VERSION, `keycloak-quarkus-dist-${KEYCLOAK_VERSION}.zip`);
}

const dbArgs = () => [`--db-url=jdbc:postgresql://127.0.0.1:${PG_PORT}/keycloak`, '--db-username=keycloak', '--db-password=keycloak'];

export const keycloak = {
  name: 'keycloak',
  ports: [KEYCLOAK_PORT, MANAGEMENT_PORT],
  pid() {
    const pid = readPid(pidFile());
    return isPidAlive(pid) ? pid : undefined;
  },
  async healthy() {
    const res = await fetch(discovery(), { signal: AbortSignal.timeout(3000) });
    if (!res.ok) return false;
    const doc = await res.json();
    return typeof doc.issuer === 'string' && doc.issuer.endsWith('/realms/krt-bank');
  },
  install() {
    if (!which('java')) throw new StackError('keycloak', 'Java 17+ is required');
    ensureApt('keycloak', ['unzip'], () => Boolean(which('unzip')));
    const marker = path.join(home(), '.built');
    if (fs.existsSync(marker)) return;
    if (!fs.existsSync(m2Zip())) {
      step(`keycloak: fetching Keycloak ${KEYCLOAK_VERSION} from Maven Central (first run only, ~150 MB)`);
      runOrThrow('keycloak', 'mvn', ['-q', '-B', 'dependency:get', `-Dartifact=org.keycloak:keycloak-quarkus-dist:${KEYCLOAK_VERSION}:zip`]);
    }
    fs.rmSync(home(), { recursive: true, force: true });
    fs.mkdirSync(TOOLS_DIR, { recursive: true });
    runOrThrow('keycloak', 'unzip', ['-q', '-o', m2Zip(), '-d', TOOLS_DIR]);
    step('keycloak: building the server for PostgreSQL (first run only, ~1 min)');
    runOrThrow('keycloak', path.join(home(), 'bin/kc.sh'), ['build', '--db=postgres', '--health-enabled=true', '--metrics-enabled=true'], {
      env: { ...process.env, JAVA_OPTS_APPEND: '-Xmx768m' },
    });
    fs.writeFileSync(marker, `${KEYCLOAK_VERSION}\n`);
  },
  async start() {
    // A changed realm file is applied to an existing database only on request (KRT_REALM_REIMPORT=1), because
    // `kc.sh import --override true` replaces the realm and with it every customer created since.
    const hashFile = path.join(componentDir('keycloak'), 'realm.sha256');
    const hash = crypto.createHash('sha256').update(fs.readFileSync(REALM_FILE)).digest('hex');
    const previous = fs.existsSync(hashFile) ? fs.readFileSync(hashFile, 'utf8').trim() : undefined;
    if (previous && previous !== hash && process.env.KRT_REALM_REIMPORT !== '1') {
      step('keycloak: WARNING infra/keycloak/krt-bank-realm.json changed since the realm was imported; to apply it (this deletes the realm\'s users): npm run stack:down keycloak && KRT_REALM_REIMPORT=1 npm run stack:up');
    } else if (previous && previous !== hash) {
      step('keycloak: realm file changed, re-importing krt-bank (KRT_REALM_REIMPORT=1)');
      runOrThrow('keycloak', path.join(home(), 'bin/kc.sh'), ['import', '--optimized', `--file=${REALM_FILE}`, '--override=true', ...dbArgs()], {
        env: { ...process.env, ...REALM_ENV, JAVA_OPTS_APPEND: '-Xmx768m' },
      });
    }
    if (!previous || process.env.KRT_REALM_REIMPORT === '1') fs.writeFileSync(hashFile, `${hash}\n`);
    const importDir = path.join(home(), 'data/import');
    fs.mkdirSync(importDir, { recursive: true });
    fs.copyFileSync(REALM_FILE, path.join(importDir, 'krt-bank-realm.json'));
    installTheme();
    const pid = spawnDetached(path.join(home(), 'bin/kc.sh'), [
      'start', '--optimized', '--import-realm', '--cache=local',
      '--http-enabled=true', '--http-host=127.0.0.1', `--http-port=${KEYCLOAK_PORT}`, `--http-management-port=${MANAGEMENT_PORT}`,
      `--hostname=http://localhost:${KEYCLOAK_PORT}`, '--hostname-backchannel-dynamic=true',
      ...dbArgs(),
      '--db-pool-initial-size=10', '--db-pool-min-size=10', '--db-pool-max-size=50',
      '--log-level=INFO',
      // The realm's `email` event listener tells the customer about a changed password only: not every failed sign-in
      // (LOGIN_ERROR), nor a second, untranslated "Update credential" mail (UPDATE_CREDENTIAL) for the same change.
      '--spi-events-listener-email-include-events=UPDATE_PASSWORD',
    ], {
      log: logPath('keycloak'),
      pidFile: pidFile(),
      env: {
        ...REALM_ENV,
        JAVA_OPTS_APPEND: '-Xms512m -Xmx1g',
        KC_BOOTSTRAP_ADMIN_USERNAME: ADMIN.username,
        KC_BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
      },
    });
    await waitFor('keycloak', () => this.healthy(), { timeoutMs: 180_000, intervalMs: 1500, isAlive: () => isPidAlive(pid) });
    await this.ensureSetup();
  },
  /** Idempotent: also run by `stack up` when Keycloak is already running. */
  async ensureSetup() {
    installTheme();
    await applyRealmSettings();
  },
  async stop() {
    return stopPid(this.pid(), { graceMs: 20_000 });
  },
  async portTaken() {
    return portOpen(KEYCLOAK_PORT);
  },
};
