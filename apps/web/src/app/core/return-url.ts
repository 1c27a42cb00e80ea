/** Only same-site paths are accepted as a return URL (no `//host`, no scheme). */
export function safeReturnUrl(value: string | null | undefined, fallback = '/inicio'): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (value.startsWith('/entrar') || value.startsWith('/auth/')) return fallback;
  return value;
}

export function signInUrl(returnUrl: string): string {
  const safe = safeReturnUrl(returnUrl, '');
  return safe ? `/entrar?returnUrl=${encodeURIComponent(safe)}` : '/entrar';
}
