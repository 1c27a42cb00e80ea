// A short pt-BR label for the device a session was opened on ("Chrome no Linux", "Safari no iPhone"), from the
// User-Agent at sign-in. Only for the customer to recognise their sessions: a User-Agent is whatever the client says,
// so the label is never used for any decision. A small mapping of the browsers and systems customers use is enough
// here (no dependency); anything else is "Navegador desconhecido" / "sistema desconhecido".

const BROWSERS: Array<[RegExp, string]> = [
  [/\bEdgA?\//, 'Edge'],
  [/\b(?:OPR|Opera)\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\b(?:Firefox|FxiOS)\//, 'Firefox'],
  [/\bCriOS\//, 'Chrome'],
  [/\b(?:HeadlessChrome|Chromium|Chrome)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
  [/\b(?:iPhone|iPad)\b.*\bAppleWebKit\//, 'Safari'],
  [/\bk6\//, 'k6'],
  [/^(?:node|undici)\b/i, 'Cliente Node.js'],
];

const SYSTEMS: Array<[RegExp, string]> = [
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

const MAX_UA = 512;

/** "Chrome no Linux", "Safari no iPhone", "Firefox", "Navegador desconhecido". */
export function deviceLabel(userAgent: string | undefined | null): string {
  const ua = (userAgent ?? '').slice(0, MAX_UA);
  const browser = BROWSERS.find(([re]) => re.test(ua))?.[1];
  const system = SYSTEMS.find(([re]) => re.test(ua))?.[1];
  if (browser && system) return `${browser} no ${system}`;
  if (browser) return browser;
  if (system) return `Navegador no ${system}`;
  return 'Navegador desconhecido';
}
