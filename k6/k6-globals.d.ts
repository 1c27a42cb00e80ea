// k6 provides `console` (log, info, debug, warn, error: https://grafana.com/docs/k6/latest/javascript-api/console/);
// @types/k6 does not declare it and these scripts do not load Node's or the DOM's types.
declare const console: {
  log(...args: unknown[]): void;
  info(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
};
