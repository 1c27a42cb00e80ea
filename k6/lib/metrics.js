// The seed's nine custom metrics (§7), with its names, plus the rate-limited answers counted on their own.
import { Counter, Trend } from 'k6/metrics';

export const loginDuration = new Trend('bank_login_duration', true);
export const registerDuration = new Trend('bank_register_duration', true);
export const balanceDuration = new Trend('bank_balance_duration', true);
export const statementDuration = new Trend('bank_statement_duration', true);
export const dashboardDuration = new Trend('bank_dashboard_duration', true);
/** From POST /pix/transfers until the transfer is seen in its final status (COMPLETED or FAILED). */
export const pixDuration = new Trend('bank_pix_duration', true);
export const successfulLogins = new Counter('bank_successful_logins');
export const successfulRegistrations = new Counter('bank_successful_registrations');
export const successfulPix = new Counter('bank_successful_pix');
/** 429 answers, tagged by step: a rate limit is not a server error, and must never hide among them. */
export const rateLimited = new Counter('bank_rate_limited');

export const NINE = [
  'bank_login_duration',
  'bank_register_duration',
  'bank_balance_duration',
  'bank_statement_duration',
  'bank_dashboard_duration',
  'bank_pix_duration',
  'bank_successful_logins',
  'bank_successful_registrations',
  'bank_successful_pix',
];
