// The customer-facing texts (pt-BR) built from each event: who is told what. Pure: no I/O.
import type { PayloadOf } from '@krt/contracts';
import { TOPICS } from '@krt/contracts';
import { Money, toSaoPauloDateTime } from '@krt/domain';
import type { ContactAddress, NotificationDraft } from './notification.model';

/** What the templates may know about a customer (from `account.created`); unknown customers are simply not named. */
export type NameLookup = (customerId: string) => string | undefined;

export type NotifiableEvent =
  | { type: typeof TOPICS.accountCreated; payload: PayloadOf<typeof TOPICS.accountCreated> }
  | { type: typeof TOPICS.pixCompleted; payload: PayloadOf<typeof TOPICS.pixCompleted> }
  | { type: typeof TOPICS.pixFailed; payload: PayloadOf<typeof TOPICS.pixFailed> }
  | { type: typeof TOPICS.fraudDetected; payload: PayloadOf<typeof TOPICS.fraudDetected> }
  | { type: typeof TOPICS.pixPinLocked; payload: PayloadOf<typeof TOPICS.pixPinLocked> }
  | { type: typeof TOPICS.customerContactChanged; payload: PayloadOf<typeof TOPICS.customerContactChanged> };

/** The topics the Notification consumer reads: the ones it notifies about and the contact data it keeps a copy of. */
export const NOTIFIABLE_TOPICS = [TOPICS.accountCreated, TOPICS.pixCompleted, TOPICS.pixFailed, TOPICS.fraudDetected, TOPICS.pixPinLocked, TOPICS.customerContactChanged] as const;

const brl = (centavos: string) => Money.fromCentavos(BigInt(centavos)).toBrl();

const two = (n: number) => String(n).padStart(2, '0');

/** "14:32" in São Paulo. */
const saoPauloClock = (iso: string) => {
  const t = toSaoPauloDateTime(new Date(iso));
  return `${two(t.hour)}:${two(t.minute)}`;
};

/** "07/12 às 14:32" in São Paulo. */
const saoPauloDayAndClock = (iso: string) => {
  const t = toSaoPauloDateTime(new Date(iso));
  return `${two(t.day)}/${two(t.month)} às ${saoPauloClock(iso)}`;
};

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
  const cause = reason.replace(/^\s*(?:pix não concluído|devolução(?: de pix)? não concluída)\s*:\s*/i, '').trim();
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
      // Each in-app notification of a PIX opens that transfer's page (the return's own page for a devolução).
      const transferId = p.transferId;
      if (p.refundOf) {
        // A devolução: its payer returns the money, its receiver (the original's payer) gets it back.
        return [
          {
            customerId: p.payer.customerId,
            kind: 'PIX_SENT',
            title: 'Devolução de Pix enviada',
            body: sentence(`Você devolveu ${amount}${receiverName ? ` a ${shortName(receiverName)}` : ''}`),
            security: false,
            transferId,
          },
          {
            customerId: p.receiver.customerId,
            kind: 'PIX_RECEIVED',
            title: 'Devolução de Pix recebida',
            body: payerName
              ? `${shortName(payerName)} devolveu ${amount} de um Pix que você enviou.`
              : `Você recebeu a devolução de ${amount} de um Pix que você enviou.`,
            security: false,
            transferId,
          },
        ];
      }
      return [
        {
          customerId: p.payer.customerId,
          kind: 'PIX_SENT',
          title: 'Pix enviado',
          body: sentence(`Você enviou um Pix de ${amount}${receiverName ? ` para ${shortName(receiverName)}` : ''}`),
          security: false,
          transferId,
        },
        {
          customerId: p.receiver.customerId,
          kind: 'PIX_RECEIVED',
          title: 'Pix recebido',
          body: sentence(`Você recebeu um Pix de ${amount}${payerName ? ` de ${shortName(payerName)}` : ''}`),
          security: false,
          transferId,
        },
      ];
    }
    case TOPICS.pixFailed: {
      const p = event.payload;
      const cause = reasonSentence(p.reason);
      const amount = brl(p.amountCentavos);
      return [
        {
          customerId: p.payer.customerId,
          kind: 'PIX_FAILED',
          title: p.refundOf ? 'Devolução de Pix não concluída' : 'Pix não concluído',
          body: `${p.refundOf ? `Sua devolução de ${amount} não foi concluída.` : `Seu Pix de ${amount} não foi concluído.`}${cause ? ` ${cause}` : ''}`,
          security: false,
          transferId: p.transferId,
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
    case TOPICS.pixPinLocked: {
      const p = event.payload;
      return [
        {
          customerId: p.customerId,
          kind: 'PIN_LOCKED',
          title: 'Pix bloqueado: senha de transação incorreta',
          body: `Bloqueamos o Pix da sua conta depois de 3 tentativas com a senha de transação incorreta. Você poderá tentar de novo após as ${saoPauloClock(p.lockedUntil)} (horário de Brasília). Se não foi você, altere sua senha no perfil. Nunca pedimos sua senha.`,
          security: true,
        },
      ];
    }
    case TOPICS.customerContactChanged:
      // Updates the contact data kept here (notification-consumer.ts); the alert to the contact as it was before needs
      // that contact, which the event does not carry: contactChangeAlert.
      return [];
  }
}

/**
 * The security alert of a `customer.contact-changed`, sent to the e-mail address and the mobile number as they were
 * before the change (and to the customer's notification centre): if someone else changed them to take the account
 * over, the customer still hears of it where they can. Nothing when neither changed (a replay, a name-only change).
 */
export function contactChangeAlert(
  payload: PayloadOf<typeof TOPICS.customerContactChanged>,
  before: ContactAddress,
): NotificationDraft | undefined {
  const email = before.email.toLowerCase() !== payload.email.toLowerCase();
  const phone = before.phone !== payload.phone;
  if (!email && !phone) return undefined;
  const what = email && phone ? 'O e-mail e o celular da sua conta foram alterados' : email ? 'O e-mail da sua conta foi alterado' : 'O celular da sua conta foi alterado';
  return {
    customerId: payload.customerId,
    kind: 'CONTACT_CHANGED',
    title: 'Dados de contato alterados',
    body: `Olá, ${firstName(payload.fullName)}! ${what} em ${saoPauloDayAndClock(payload.changedAt)} (horário de Brasília). Se não foi você, fale com a nossa central agora. Nunca pedimos sua senha.`,
    security: true,
    to: { email: before.email, phone: before.phone },
  };
}
