// The stack's SMTP catcher, as the browser tests read it: what the bank e-mailed to an address.
import { request } from '@playwright/test';

const MAILBOX = process.env.E2E_SMTP_API ?? 'http://127.0.0.1:8025';

export interface Mail {
  id: string;
  subject: string;
  receivedAt: string;
  text?: string;
}

/** The messages to `address` received after `since` (the SMTP catcher's JSON API), newest first, with their text. */
export async function mailsTo(address: string, since: number): Promise<Mail[]> {
  const api = await request.newContext({ baseURL: MAILBOX });
  try {
    const list = (await (await api.get('/api/messages', { params: { to: address, limit: 20 } })).json()) as { messages: Mail[] };
    const recent = list.messages.filter((m) => Date.parse(m.receivedAt) >= since);
    return await Promise.all(recent.map(async (m) => ({ ...m, ...((await (await api.get(`/api/messages/${m.id}`)).json()) as Mail) })));
  } finally {
    await api.dispose();
  }
}

/** Subjects of the messages to `address` received since `since`. */
export async function subjectsTo(address: string, since: number): Promise<string[]> {
  return (await mailsTo(address, since)).map((m) => m.subject);
}
