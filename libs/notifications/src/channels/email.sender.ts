// E-mail over SMTP with nodemailer. In the local stack the SMTP catcher (port 1025, inbox on http://localhost:8025).
import nodemailer from 'nodemailer';
import type { NotificationMessage } from '../notification.model';

export interface EmailSender {
  send(to: { name: string; address: string }, message: NotificationMessage): Promise<{ providerMessageId: string }>;
  verify(): Promise<void>;
  close(): void;
}

export interface SmtpOptions {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The same notification always carries the same Message-ID, so mailbox providers can collapse an (unlikely) resend. */
export const emailMessageId = (m: Pick<NotificationMessage, 'eventId' | 'customerId'>) => `<${m.eventId}.${m.customerId}@notificacoes.krt.bank>`;

export function renderEmail(message: NotificationMessage) {
  const footer = 'Esta é uma mensagem automática do KRT Bank. Não responda este e-mail. O KRT Bank nunca pede sua senha.';
  return {
    subject: message.title,
    text: `${message.title}\n\n${message.body}\n\n--\n${footer}\n`,
    html: `<!doctype html><html lang="pt-BR"><body style="font-family:Arial,sans-serif;color:#1a1a1a">
<h2 style="color:#4b2ca3">${escapeHtml(message.title)}</h2>
<p>${escapeHtml(message.body)}</p>
<hr><p style="font-size:12px;color:#666">${escapeHtml(footer)}</p>
</body></html>`,
  };
}

export function createSmtpEmailSender(opts: SmtpOptions): EmailSender {
  const transport = nodemailer.createTransport({
    host: opts.host,
    port: opts.port,
    secure: opts.secure,
    auth: opts.user ? { user: opts.user, pass: opts.password ?? '' } : undefined,
    // STARTTLS is used whenever the server offers it (a real relay); the local catcher offers none.
    // Pooled: a few SMTP connections kept open and reused, instead of connect + greeting + EHLO + QUIT per e-mail
    // (an idle connection that the server or the socket timeout closes is replaced on the next send).
    pool: true,
    maxConnections: 4,
    maxMessages: 1000,
    connectionTimeout: 5000,
    greetingTimeout: 5000,
    socketTimeout: 10_000,
  });
  return {
    async send(to, message) {
      const content = renderEmail(message);
      const info = await transport.sendMail({
        from: opts.from,
        to: { name: to.name, address: to.address },
        messageId: emailMessageId(message),
        subject: content.subject,
        text: content.text,
        html: content.html,
        headers: { 'X-KRT-Notification-Id': message.notificationId, 'X-KRT-Kind': message.kind },
      });
      return { providerMessageId: info.messageId };
    },
    async verify() {
      await transport.verify();
    },
    close() {
      transport.close();
    },
  };
}
