// The customer-facing texts (pt-BR) built from each event: who is told what. Pure: no I/O.
import type { PayloadOf } from '@krt/contracts';
import { TOPICS } from '@krt/contracts';
import { Money } from '@krt/domain';
import type { NotificationDraft } from './notification.model';

/** What the templates may know about a customer (from `account.created`); unknown customers are simply not named. */
export type NameLookup = (customerId: string) => string | undefined;

export type NotifiableEvent =
  | { type: typeof TOPICS.accountCreated; payload: PayloadOf<typeof TOPICS.accountCreated> }
  | { type: typeof TOPICS.pixCompleted; payload: PayloadOf<typeof TOPICS.pixCompleted> }
  | { type: typeof TOPICS.pixFailed; payload: PayloadOf<typeof TOPICS.pixFailed> }
  | { type: typeof TOPICS.fraudDetected; payload: PayloadOf<typeof TOPICS.fraudDetected> };

export const NOTIFIABLE_TOPICS = [TOPICS.accountCreated, TOPICS.pixCompleted, TOPICS.pixFailed, TOPICS.fraudDetected] as const;

const brl = (centavos: string) => Money.fromCentavos(BigInt(centavos)).toBrl();

/** Ends the text with one full stop ("… de Maria S." stays as is). */
const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

export function firstName(fullName: string): string {
  return fullName.trim().split(/\s+/)[0] ?? fullName;
}

/** "Maria Souza Lima" → "Maria L.": enough for the customer to recognise the counterparty, no more. */
export function shortName(fullName: string): string {
  const parts = fullName.trim().split(/\s+/);
  if (parts.length < 2) return parts[0] ?? fullName;
  return `${parts[0]} ${parts[parts.length - 1]!.charAt(0).toUpperCase()}.`;
}

/** Payments writes reasons as customer sentences starting with "Pix não concluído:"; keep only the cause. */
function reasonSentence(reason: string): string {
  const cause = reason.replace(/^\s*pix não concluído\s*:\s*/i, '').trim();
  if (!cause) return '';
  return sentence(cause.charAt(0).toUpperCase() + cause.slice(1));
}

export function buildNotifications(event: NotifiableEvent, nameOf: NameLookup): NotificationDraft[] {
  switch (event.type) {
    case TOPICS.accountCreated: {
      const p = event.payload;
      return [
        {
          customerId: p.customerId,
          kind: 'ACCOUNT_CREATED',
          title: 'Bem-vindo(a) ao KRT Bank',
          body: `Olá, ${firstName(p.fullName)}! Sua conta no KRT Bank está aberta. Você já pode receber e enviar Pix.`,
          security: false,
        },
      ];
    }
    case TOPICS.pixCompleted: {
      const p = event.payload;
      const amount = brl(p.amountCentavos);
      const payerName = nameOf(p.payer.customerId);
      const receiverName = nameOf(p.receiver.customerId);
      return [
        {
          customerId: p.payer.customerId,
          kind: 'PIX_SENT',
          title: 'Pix enviado',
          body: sentence(`Você enviou um Pix de ${amount}${receiverName ? ` para ${shortName(receiverName)}` : ''}`),
          security: false,
        },
        {
          customerId: p.receiver.customerId,
          kind: 'PIX_RECEIVED',
          title: 'Pix recebido',
          body: sentence(`Você recebeu um Pix de ${amount}${payerName ? ` de ${shortName(payerName)}` : ''}`),
          security: false,
        },
      ];
    }
    case TOPICS.pixFailed: {
      const p = event.payload;
      const cause = reasonSentence(p.reason);
      return [
        {
          customerId: p.payer.customerId,
          kind: 'PIX_FAILED',
          title: 'Pix não concluído',
          body: `Seu Pix de ${brl(p.amountCentavos)} não foi concluído.${cause ? ` ${cause}` : ''}`,
          security: false,
        },
      ];
    }
    case TOPICS.fraudDetected: {
      const p = event.payload;
      if (p.decision !== 'REJECTED') return [];
      const amount = p.amountCentavos ? ` de ${brl(p.amountCentavos)}` : '';
      return [
        {
          customerId: p.payer.customerId,
          kind: 'FRAUD_ALERT',
          title: 'Alerta de segurança',
          body: `Bloqueamos um Pix${amount} por suspeita de fraude. Se você não reconhece esta operação, fale com a nossa central. Nunca pedimos sua senha.`,
          security: true,
        },
      ];
    }
  }
}
