// The DLQ command of the notifications:
//   node --import tsx apps/notifications/src/dlq.cli.ts list [--limit=N] list the dead-lettered messages (they stay)
//   node --import tsx apps/notifications/src/dlq.cli.ts replay <id>...  send the chosen ones back for delivery
//   node --import tsx apps/notifications/src/dlq.cli.ts replay --all
// Ids are `<eventId>:<channel>:<customerId>` as `list` prints them. NOTIFICATIONS_AMQP_NAMESPACE selects the topology.
import { dlqDepth, listDlq, loadNotificationsConfig, replayDlq, topology } from '@krt/notifications';
import { createLogger } from '@krt/platform/telemetry';
import { AmqpClient, ConfirmPublisher } from '@krt/platform/messaging';
import { isEntryPoint, type Env } from './runtime';

export async function runDlqCommand(argv: string[], env: Env = {}, out: (line: string) => void = (l) => console.log(l)): Promise<number> {
  const cfg = loadNotificationsConfig({ ...process.env, ...env });
  const t = topology(cfg.NOTIFICATIONS_AMQP_NAMESPACE, cfg.NOTIFICATIONS_RETRY_DELAYS_MS);
  const logger = createLogger('notifications-dlq', { level: 'warn' });
  const client = new AmqpClient({ url: cfg.AMQP_URL, name: 'notifications-dlq', logger });
  const [cmd, ...rest] = argv;
  if (cmd !== 'list' && cmd !== 'replay') {
    out('usage: dlq.cli.ts list [--limit=N] | replay <id>... | replay --all');
    return 2;
  }
  if (cmd === 'replay' && !rest.length) {
    out('replay: give the ids to replay (from `list`) or --all');
    return 2;
  }
  await Promise.race([client.start(), new Promise((_, reject) => setTimeout(() => reject(new Error('RabbitMQ not reachable')), 10_000))]);
  const publisher = new ConfirmPublisher(client);
  try {
    if (cmd === 'list') {
      const limit = Number(rest.find((r) => /^--limit=\d+$/.test(r))?.slice(8) ?? 1000);
      const depth = await dlqDepth(client, t);
      const entries = await listDlq(client, publisher, t, limit);
      out(`${depth} message(s) in ${t.dlq}${entries.length < depth ? ` (showing the oldest ${entries.length}; --limit=N for more)` : ''}`);
      for (const e of entries) out(`${e.id}\t${e.channel}\t${e.kind ?? '?'}\tattempts=${e.attempts}\t${e.failedAt ?? ''}\t${e.failureReason}`);
      return 0;
    }
    const all = rest.includes('--all');
    const ids = rest.filter((r) => r !== '--all');
    const replayed = await replayDlq(client, publisher, t, { ids, all });
    for (const e of replayed) out(`replayed ${e.id}`);
    const missing = ids.filter((id) => !replayed.some((e) => e.id === id));
    for (const id of missing) out(`not found in the DLQ: ${id}`);
    out(`${replayed.length} message(s) replayed`);
    return missing.length ? 1 : 0;
  } finally {
    await publisher.close();
    await client.close();
  }
}

if (isEntryPoint(import.meta.url)) {
  runDlqCommand(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(`dlq: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
