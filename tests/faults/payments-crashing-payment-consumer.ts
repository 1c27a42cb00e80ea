// Fault-test child process: a real Payment consumer (its production group) that dies with SIGKILL right after the
// settlement of one chosen transfer has committed, before Kafka gets the offset commit.
// Usage: node --import tsx tests/faults/payments-crashing-payment-consumer.ts <transferId>
import { startPaymentConsumer } from '../../apps/payments/src/workers/payment-consumer.main';

const victim = process.argv[2];
if (!victim) throw new Error('transfer id required');

await startPaymentConsumer({
  afterCommit: (envelope, msg) => {
    if ((envelope.payload as { transferId?: string }).transferId !== victim) return;
    process.stdout.write(`${JSON.stringify({ crashed: true, topic: msg.topic, partition: msg.partition, offset: msg.offset })}\n`);
    process.kill(process.pid, 'SIGKILL');
  },
});
process.stdout.write(`${JSON.stringify({ started: true })}\n`);
