// The session cookie: it carries only the session id. Over https it is `__Host-krt-session; Secure`; for local http
// development (where `__Host-` cookies cannot exist, since they require `Secure`) it is `krt-session` without `Secure`.
// Both are HttpOnly, SameSite=Strict, Path=/ and have no Domain attribute.

export interface CookiePolicy {
  /** The session cookie name. */
  session: string;
  /** The short-lived cookie that binds a pending authorization-code sign-in to the browser that started it. */
  login: string;
  secure: boolean;
}

export function cookiePolicy(publicUrl: string, override?: boolean): CookiePolicy {
  const secure = override ?? publicUrl.startsWith('https://');
  return secure
    ? { session: '__Host-krt-session', login: '__Host-krt-login', secure }
    : { session: 'krt-session', login: 'krt-login', secure };
}

export interface CookieOptions {
  maxAgeSeconds?: number;
  sameSite: 'Strict' | 'Lax';
  secure: boolean;
}

/** Serialises one Set-Cookie value (the value must already be cookie-safe, e.g. base64url). */
export function serializeCookie(name: string, value: string, opts: CookieOptions): string {
  const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', `SameSite=${opts.sameSite}`];
  if (opts.secure) parts.push('Secure');
  if (opts.maxAgeSeconds !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(opts.maxAgeSeconds))}`);
  return parts.join('; ');
}

export const clearCookie = (name: string, secure: boolean) => serializeCookie(name, '', { maxAgeSeconds: 0, sameSite: 'Strict', secure });

/** Reads one cookie from a Cookie request header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The local path a sign-in returns to. Only same-origin absolute paths are allowed (`/inicio?x=1`);
 * anything that could leave the origin (`//evil`, `/\evil`, `https://…`, control characters) becomes `/`.
 */
export function safeReturnUrl(value: string | undefined | null, fallback = '/'): string {
  if (!value || value.length > 512) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  try {
    const base = new URL('http://krt.invalid');
    const url = new URL(value, base);
    if (url.origin !== base.origin) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
