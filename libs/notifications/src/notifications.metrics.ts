// Notifications' business metric, registered on the process's one Prometheus registry (@krt/platform/telemetry).
import { registry } from '@krt/platform/telemetry';
import client from 'prom-client';

/** `notificationDeliveries.inc({ channel, outcome: 'delivered' | 'retried' | 'dead_lettered' })` */
export const notificationDeliveries = new client.Counter({
  name: 'notifications_total',
  help: 'Notification deliveries by channel (email, sms, push, inapp) and outcome (delivered, retried, dead_lettered).',
  labelNames: ['channel', 'outcome'] as const,
  registers: [registry],
});
