// A VU's cookie jar with the semantics of Go's net/http/cookiejar, which k6 uses: host-only and domain cookies,
// path matching, expiry, and Secure cookies sent over https only.

export interface StoredCookie {
  name: string;
  value: string;
  domain: string;
  hostOnly: boolean;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  /** Epoch ms, or undefined for a session cookie. */
  expires?: number;
}

export interface ParsedSetCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  http_only: boolean;
  secure: boolean;
  max_age: number;
  expires: number;
}

const defaultPath = (pathname: string) => {
  if (!pathname.startsWith('/')) return '/';
  const i = pathname.lastIndexOf('/');
  return i === 0 ? '/' : pathname.slice(0, i);
};

const pathMatches = (requestPath: string, cookiePath: string) =>
  requestPath === cookiePath || (requestPath.startsWith(cookiePath) && (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/'));

export function parseSetCookie(header: string): ParsedSetCookie | undefined {
  const [pair, ...attrs] = header.split(';');
  const eq = pair!.indexOf('=');
  if (eq < 1) return undefined;
  const out: ParsedSetCookie = { name: pair!.slice(0, eq).trim(), value: pair!.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'), domain: '', path: '', http_only: false, secure: false, max_age: 0, expires: 0 };
  for (const attr of attrs) {
    const i = attr.indexOf('=');
    const key = (i < 0 ? attr : attr.slice(0, i)).trim().toLowerCase();
    const val = i < 0 ? '' : attr.slice(i + 1).trim();
    if (key === 'domain') out.domain = val.replace(/^\./, '').toLowerCase();
    else if (key === 'path') out.path = val;
    else if (key === 'httponly') out.http_only = true;
    else if (key === 'secure') out.secure = true;
    else if (key === 'max-age' && /^-?\d+$/.test(val)) out.max_age = Number(val) || -1;
    else if (key === 'expires') {
      const t = Date.parse(val);
      if (!Number.isNaN(t)) out.expires = t;
    }
  }
  return out;
}

export class CookieJar {
  private cookies: StoredCookie[] = [];

  /** Stores what a response's Set-Cookie headers say, for the URL that answered. */
  storeFromResponse(url: URL, setCookies: string[]) {
    for (const header of setCookies) {
      const c = parseSetCookie(header);
      if (c) this.store(url, c);
    }
  }

  store(url: URL, c: Pick<ParsedSetCookie, 'name' | 'value'> & Partial<ParsedSetCookie>) {
    const host = url.hostname.toLowerCase();
    let domain = host;
    let hostOnly = true;
    if (c.domain) {
      const d = c.domain.toLowerCase().replace(/^\./, '');
      if (host !== d && !host.endsWith(`.${d}`)) return; // a cookie for another site: ignored, as browsers and Go do
      domain = d;
      hostOnly = host === d && /^[\d.]+$/.test(host) ? true : false;
    }
    const path = c.path && c.path.startsWith('/') ? c.path : defaultPath(url.pathname);
    let expires: number | undefined;
    if (c.max_age) expires = c.max_age < 0 ? 0 : Date.now() + c.max_age * 1000;
    else if (c.expires) expires = c.expires;
    this.cookies = this.cookies.filter((e) => !(e.name === c.name && e.domain === domain && e.path === path));
    if (expires !== undefined && expires <= Date.now()) return; // deletion
    this.cookies.push({ name: c.name, value: c.value, domain, hostOnly, path, secure: Boolean(c.secure), httpOnly: Boolean(c.http_only), expires });
  }

  /** The cookies a request to `url` carries, most specific path first (as Go orders them). */
  cookiesFor(url: URL): StoredCookie[] {
    const host = url.hostname.toLowerCase();
    const https = url.protocol === 'https:';
    const now = Date.now();
    this.cookies = this.cookies.filter((e) => e.expires === undefined || e.expires > now);
    return this.cookies
      .filter((e) => (e.hostOnly ? host === e.domain : host === e.domain || host.endsWith(`.${e.domain}`)))
      .filter((e) => pathMatches(url.pathname || '/', e.path))
      .filter((e) => !e.secure || https)
      .sort((a, b) => b.path.length - a.path.length);
  }

  // ── k6's CookieJar API ──────────────────────────────────────────────────────
  cookiesForURL(url: string): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const c of this.cookiesFor(new URL(url))) (out[c.name] ??= []).push(c.value);
    return out;
  }

  set(url: string, name: string, value: string, options?: { domain?: string; path?: string; expires?: string; max_age?: number; secure?: boolean; http_only?: boolean } | null) {
    const o = options ?? {};
    this.store(new URL(url), { name, value, domain: o.domain ?? '', path: o.path ?? '/', secure: o.secure, http_only: o.http_only, max_age: o.max_age ?? 0, expires: o.expires ? Date.parse(o.expires) : 0 });
  }

  clear(url: string) {
    const u = new URL(url);
    const gone = new Set(this.cookiesFor(u));
    this.cookies = this.cookies.filter((c) => !gone.has(c));
  }

  delete(url: string, name: string) {
    const u = new URL(url);
    const gone = new Set(this.cookiesFor(u).filter((c) => c.name === name));
    this.cookies = this.cookies.filter((c) => !gone.has(c));
  }

  /** Empties the jar (k6 does this before every iteration unless `noCookiesReset` is set). */
  reset() {
    this.cookies = [];
  }
}
