// RabbitMQ (amqplib): a connection that reconnects, and a readiness check.
import amqp from 'amqplib';
import type { ReadinessCheck } from './readiness';

export { amqp };

/** Readiness: opens (or reuses) a connection and a channel, and declares nothing. */
export function rabbitmqReadiness(url: string): ReadinessCheck {
  let connection: amqp.ChannelModel | undefined;
  return {
    name: 'rabbitmq',
    check: async () => {
      try {
        if (!connection) {
          connection = await amqp.connect(url, { timeout: 1000 });
          connection.on('error', () => undefined);
          connection.on('close', () => { connection = undefined; });
        }
        const channel = await connection.createChannel();
        await channel.close();
      } catch (e) {
        const stale = connection;
        connection = undefined;
        await stale?.close().catch(() => undefined);
        throw e;
      }
    },
  };
}
