// Live events for the signed-in customer: PIX status changes (Kafka) and in-app notifications (RabbitMQ) are turned
// into per-customer messages and delivered only to that customer's open event streams.
import { TOPICS } from '@krt/contracts';

export interface LiveMessage {
  event: 'pix.status' | 'notification';
  data: Record<string, unknown>;
  /** Stable id (the source event id + recipient role) for the SSE `id:` field. */
  id: string;
}

export type Listener = (message: LiveMessage) => void;

export class LiveHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly closers = new Set<() => void>();

  /** `onPublish` hears of every message published, listened to or not (the read cache drops the customer's entries). */
  constructor(private readonly opts: { onPublish?: (customerId: string) => void } = {}) {}

  /** Registers a stream to end on shutdown; returns the unregister function. */
  onShutdown(close: () => void): () => void {
    this.closers.add(close);
    return () => this.closers.delete(close);
  }

  /** Ends every open stream (graceful shutdown: the HTTP server can then close). */
  closeAll() {
    for (const close of [...this.closers]) close();
    this.closers.clear();
  }

  subscribe(customerId: string, listener: Listener): () => void {
    let set = this.listeners.get(customerId);
    if (!set) {
      set = new Set();
      this.listeners.set(customerId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (!set.size) this.listeners.delete(customerId);
    };
  }

  publish(customerId: string, message: LiveMessage) {
    this.opts.onPublish?.(customerId);
    for (const listener of this.listeners.get(customerId) ?? []) {
      try {
        listener(message);
      } catch {
        // one broken stream never stops the others
      }
    }
  }

  /** False when no customer listening on this process can be named in the raw event text: it can be skipped unread. */
  mayConcern(raw: string): boolean {
    if (!this.listeners.size) return false;
    // A few listeners: look for their ids in the raw event (ids that JSON writes as they are); many: read the event.
    if (this.listeners.size > 32) return true;
    for (const customerId of this.listeners.keys()) {
      if (!/^[A-Za-z0-9_-]+$/.test(customerId) || raw.includes(customerId)) return true;
    }
    return false;
  }

  connections(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
}

interface PixParty {
  customerId: string;
  accountId: string;
}

export interface PixEventLike {
  eventId: string;
  type?: string;
  payload: { transferId: string; payer: PixParty; receiver: PixParty; amountCentavos?: string; reason?: string };
}

const centavosToBrl = (c: string | undefined) => {
  if (c === undefined || !/^-?\d+$/.test(c)) return undefined;
  const v = BigInt(c);
  const neg = v < 0n;
  const abs = neg ? -v : v;
  return `${neg ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
};

/**
 * Who hears about a PIX event, and what: the payer sees every status of their transfer (PENDING → COMPLETED/FAILED);
 * the receiver hears only of money that arrived (COMPLETED). Nobody else hears anything.
 */
export function pixStatusMessages(topic: string, envelope: PixEventLike): Array<{ customerId: string; message: LiveMessage }> {
  const status = topic === TOPICS.pixInitiated ? 'PENDING' : topic === TOPICS.pixCompleted ? 'COMPLETED' : topic === TOPICS.pixFailed ? 'FAILED' : undefined;
  if (!status) return [];
  const p = envelope.payload;
  const base = { transferId: p.transferId, status, amount: centavosToBrl(p.amountCentavos) };
  const out: Array<{ customerId: string; message: LiveMessage }> = [
    {
      customerId: p.payer.customerId,
      message: {
        event: 'pix.status',
        id: `${envelope.eventId}:out`,
        data: { ...base, direction: 'OUT', ...(status === 'FAILED' && p.reason ? { failureReason: p.reason } : {}) },
      },
    },
  ];
  if (status === 'COMPLETED' && p.receiver.customerId !== p.payer.customerId) {
    out.push({ customerId: p.receiver.customerId, message: { event: 'pix.status', id: `${envelope.eventId}:in`, data: { ...base, direction: 'IN' } } });
  }
  return out;
}
