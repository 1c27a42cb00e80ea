import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { RouterLink } from '@angular/router';

interface LegalSection {
  title: string;
  paragraphs: string[];
}

interface LegalDocument {
  title: string;
  updated: string;
  intro: string;
  sections: LegalSection[];
}

const DOCUMENTS: Record<'termos' | 'privacidade', LegalDocument> = {
  termos: {
    title: 'Termos de Uso da conta KRT Bank',
    updated: '06/12/2026',
    intro:
      'Estes termos valem para a conta de pagamento digital do KRT Bank, aberta e usada pelo site. Ao marcar que leu e aceita, você concorda com as regras abaixo.',
    sections: [
      {
        title: '1. Quem pode abrir a conta',
        paragraphs: [
          'Pessoas físicas maiores de 18 anos, com CPF regular e documento de identidade com foto. A abertura depende da verificação de identidade (documento, selfie e consultas de prevenção à lavagem de dinheiro); podemos pedir mais informações ou recusar a abertura, explicando o motivo quando a lei permitir.',
        ],
      },
      {
        title: '2. Acesso e segurança',
        paragraphs: [
          'Você entra com seu CPF e senha. A senha é pessoal: não a compartilhe, e nunca pedimos sua senha por telefone, e-mail ou mensagem.',
          'Se suspeitar de uso indevido, saia de todos os dispositivos no seu perfil e fale com a gente.',
        ],
      },
      {
        title: '3. Pix',
        paragraphs: [
          'Você pode enviar e receber Pix por chave, QR Code e Pix Copia e Cola, seguindo o regulamento do Pix do Banco Central do Brasil.',
          'Cada Pix respeita os seus limites: por transação, diário e noturno (das 20h às 6h, o limite noturno vale para cada Pix). Você pode ajustar os limites no perfil; aumentos podem levar até 24 horas para valer, como pede o Banco Central.',
          'Um Pix pode ser analisado por nossos controles de segurança antes de ser concluído. Se for bloqueado, o valor reservado volta para o seu saldo e você é avisado.',
          'É possível cadastrar até 5 chaves Pix por conta.',
        ],
      },
      {
        title: '4. Saldo e extrato',
        paragraphs: [
          'O saldo disponível já desconta os Pix em processamento. O extrato mostra cada entrada e saída e pode ser baixado em CSV.',
        ],
      },
      {
        title: '5. Tarifas',
        paragraphs: ['A abertura e a manutenção da conta e os Pix de pessoa física não têm tarifa.'],
      },
      {
        title: '6. Encerramento',
        paragraphs: [
          'Você pode pedir o encerramento da conta a qualquer momento, com o saldo zerado ou transferido. Podemos bloquear ou encerrar a conta em caso de fraude, uso ilícito ou determinação legal, avisando você.',
        ],
      },
    ],
  },
  privacidade: {
    title: 'Política de Privacidade',
    updated: '06/12/2026',
    intro:
      'Esta política explica quais dados pessoais o KRT Bank trata, para quê e quais são os seus direitos, conforme a Lei Geral de Proteção de Dados (Lei nº 13.709/2018, LGPD).',
    sections: [
      {
        title: 'Dados que tratamos',
        paragraphs: [
          'Cadastro: nome completo, CPF, data de nascimento, e-mail, celular e endereço.',
          'Verificação de identidade: número e órgão emissor do documento, a foto do documento e uma selfie (dado biométrico, um dado pessoal sensível).',
          'Uso da conta: saldo, Pix enviados e recebidos, chaves Pix, limites, avisos enviados a você e registros de acesso.',
        ],
      },
      {
        title: 'Para que usamos',
        paragraphs: [
          'Abrir e manter sua conta e executar os Pix que você pede (execução de contrato, art. 7º, V).',
          'Conhecer o cliente e prevenir lavagem de dinheiro e fraudes, como exigem o Banco Central e a Lei nº 9.613/1998 (cumprimento de obrigação legal, art. 7º, II; e, para a selfie, prevenção à fraude e segurança do titular, art. 11, II, g).',
          'Avisar você sobre sua conta por e-mail, SMS ou no aplicativo, conforme suas preferências.',
        ],
      },
      {
        title: 'Com quem compartilhamos',
        paragraphs: [
          'Com o Banco Central e os participantes do Pix, na medida necessária para cada transação (por exemplo, o recebedor vê seu nome e parte do seu CPF); com autoridades, quando a lei obrigar. Não vendemos seus dados.',
        ],
      },
      {
        title: 'Por quanto tempo',
        paragraphs: [
          'Pelo tempo da conta e, depois dela, pelos prazos que a regulação exige para registros de clientes e transações (em regra, ao menos 5 anos).',
        ],
      },
      {
        title: 'Seus direitos',
        paragraphs: [
          'Você pode confirmar se tratamos seus dados, acessá-los, corrigi-los, pedir portabilidade, informação sobre compartilhamentos e, quando cabível, anonimização ou eliminação (art. 18 da LGPD). Parte dos dados pode ser corrigida no seu perfil; para o resto, fale com o nosso encarregado pelo e-mail privacidade@krt.bank.',
        ],
      },
      {
        title: 'Segurança',
        paragraphs: [
          'Os dados trafegam cifrados, o acesso interno é restrito e registrado, e as credenciais de acesso ficam no servidor, nunca no seu navegador.',
        ],
      },
    ],
  },
};

/** /termos and /privacidade: the documents the account-opening form asks the customer to accept. */
@Component({
  selector: 'krt-legal',
  standalone: true,
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <article class="page narrow legal">
      <h1>{{ doc().title }}</h1>
      <p class="muted">Atualizado em {{ doc().updated }}.</p>
      <p>{{ doc().intro }}</p>
      @for (s of doc().sections; track s.title) {
        <section>
          <h2>{{ s.title }}</h2>
          @for (p of s.paragraphs; track $index) { <p>{{ p }}</p> }
        </section>
      }
      <p><a routerLink="/abrir-conta">Voltar para a abertura de conta</a></p>
    </article>
  `,
  styles: ['.legal h2 { font-size: 1.1rem; margin-top: 1.5rem; }', '.legal p { line-height: 1.55; }'],
})
export class LegalComponent {
  /** Route data: which document. */
  readonly document = input<'termos' | 'privacidade'>('termos');
  protected readonly doc = computed(() => DOCUMENTS[this.document()]);
}
