// SMS through a provider interface. The local provider appends one JSON line per message to a file that people and
// tests read (`.stack/sms/outbox.jsonl`); a real provider (an SMS gateway's HTTP API) implements the same interface.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export interface SmsMessage {
  /** E.164, e.g. +5511987654321. */
  to: string;
  text: string;
  /** Same key for the same notification: providers that support it drop a resend. */
  idempotencyKey: string;
}

export interface SmsProvider {
  send(message: SmsMessage): Promise<{ providerMessageId: string }>;
}

export interface SmsRecord extends SmsMessage {
  id: string;
  sentAt: string;
}

export class FileSmsProvider implements SmsProvider {
  /** The folder is made once (and again if it went away), not before every message. */
  private folderReady = false;

  constructor(private readonly file: string) {}

  async send(message: SmsMessage): Promise<{ providerMessageId: string }> {
    const record: SmsRecord = { id: randomUUID(), ...message, sentAt: new Date().toISOString() };
    const line = `${JSON.stringify(record)}\n`;
    if (!this.folderReady) await this.makeFolder();
    try {
      // One write of one line in append mode: concurrent writers never interleave inside a line.
      await fs.appendFile(this.file, line, { flag: 'a' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      await this.makeFolder();
      await fs.appendFile(this.file, line, { flag: 'a' });
    }
    return { providerMessageId: record.id };
  }

  private async makeFolder() {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    this.folderReady = true;
  }
}

/** Reads what the local provider recorded (for tests and the curious). */
export async function readSmsOutbox(file: string): Promise<SmsRecord[]> {
  try {
    const text = await fs.readFile(file, 'utf8');
    return text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as SmsRecord);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** The SMS text: short, with the bank's name first, never a link (phishing-safe). */
export function renderSms(m: { title: string; body: string }): string {
  const text = `KRT Bank: ${m.body}`;
  return text.length <= 300 ? text : `${text.slice(0, 297)}...`;
}
