import { isPlatformBrowser } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, PLATFORM_ID, computed, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { toProblem } from '../../core/api-error';
import { SSR_CONTEXT } from '../../core/ssr-context';
import { maskCpf } from '../../ui/masks';
import { DataBrPipe } from '../../ui/pipes';
import { OperacaoApi } from './operacao.api';
import type { KycApplication, KycCheck } from '@krt/contracts';
import { APPLICATION_STATUS_LABEL, REVIEW_REASON_LABEL, statusClass } from './operacao.models';

interface CheckLine {
  name: string;
  result: string;
  ok: boolean | null;
  reason: string;
}

const LIST_LABEL: Record<string, string> = { PEP: 'pessoas politicamente expostas (PEP)', SANCTIONS: 'sanções' };
const FIELD_LABEL: Record<string, string> = { cpf: 'CPF', email: 'e-mail', phone: 'celular' };

/** The automatic checks as lines: onboarding's KycChecks (cpfValid, adult, watchlist, previouslyRejected), others as given. */
export function checkLines(checks: unknown): CheckLine[] {
  if (!checks || typeof checks !== 'object') return [];
  if (Array.isArray(checks)) {
    return (checks as KycCheck[]).map((c) => {
      const result = c.result ?? c.status ?? (c.passed === undefined ? '—' : c.passed ? 'Aprovado' : 'Reprovado');
      return { name: c.name ?? c.check ?? '—', result, ok: c.passed ?? null, reason: [c.reason, ...(c.reasons ?? []), c.detail].filter(Boolean).join('; ') };
    });
  }
  const lines: CheckLine[] = [];
  for (const [key, value] of Object.entries(checks as Record<string, unknown>)) {
    if (key === 'cpfValid') lines.push({ name: 'CPF', result: value ? 'Válido' : 'Inválido', ok: !!value, reason: value ? '' : 'Dígitos verificadores não conferem.' });
    else if (key === 'adult') lines.push({ name: 'Idade', result: value ? 'Maior de idade' : 'Menor de idade', ok: !!value, reason: '' });
    else if (key === 'watchlist') {
      const list = value && typeof value === 'object' ? String((value as { list?: string }).list ?? '') : '';
      lines.push({ name: 'Listas restritivas', result: value ? 'Nome encontrado' : 'Sem ocorrência', ok: !value, reason: value ? `Nome igual a um da lista de ${LIST_LABEL[list] ?? list}.` : '' });
    } else if (key === 'previouslyRejected') {
      const fields = Array.isArray(value) ? (value as string[]) : [];
      lines.push({
        name: 'Cadastros reprovados antes',
        result: fields.length ? 'Dados já reprovados' : 'Sem ocorrência',
        ok: fields.length === 0,
        reason: fields.length ? `Já usados em cadastro reprovado: ${fields.map((f) => FIELD_LABEL[f] ?? f).join(', ')}.` : '',
      });
    } else lines.push({ name: key, result: typeof value === 'string' ? value : JSON.stringify(value), ok: null, reason: '' });
  }
  return lines;
}

/** /operacao/kyc/:id: one application, its images and automatic checks; approve or reject it with a reason. */
@Component({
  selector: 'krt-kyc-application',
  standalone: true,
  imports: [ReactiveFormsModule, RouterLink, DataBrPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <p><a routerLink="/operacao/kyc">← Voltar à fila</a></p>
      @if (error(); as m) { <div class="alert error" role="alert"><p>{{ m }}</p></div> }
      @if (app(); as a) {
        <div class="page-head">
          <h1>Cadastro de {{ a.fullName }}</h1>
          <span [class]="'status ' + cls(a.status)" data-testid="application-status">{{ label[a.status] || a.status }}</span>
        </div>
        @if (done(); as m) { <div class="alert ok" role="status" data-testid="decision-done"><p>{{ m }}</p></div> }
        <div class="grid two">
          <div class="card">
            <h2>Dados do cliente</h2>
            <dl class="dl">
              <dt>Nome</dt><dd>{{ a.fullName }}</dd>
              <dt>CPF</dt><dd>{{ a.cpf ? cpf(a.cpf) : a.cpfMasked || '—' }}</dd>
              <dt>Nascimento</dt><dd>{{ a.birthDate ? (a.birthDate | dataBr) : '—' }}</dd>
              <dt>E-mail</dt><dd>{{ a.email || a.emailMasked || '—' }}</dd>
              <dt>Celular</dt><dd>{{ a.phone || a.phoneMasked || '—' }}</dd>
              @if (a.document) {
                <dt>Documento</dt><dd>{{ a.document.type }} {{ a.document.number }} {{ a.document.issuer }}</dd>
              }
              @if (address(); as addr) { <dt>Endereço</dt><dd>{{ addr }}</dd> }
              <dt>Enviado em</dt><dd>{{ a.createdAt | dataBr: 'datetime' }}</dd>
            </dl>
          </div>
          <div class="card">
            <h2>Verificações automáticas</h2>
            @if (a.reviewReasons?.length) {
              <p class="label">Motivos para análise manual</p>
              <ul data-testid="review-reasons">@for (r of a.reviewReasons; track r) { <li>{{ reasonLabel[r] || r }}</li> }</ul>
            }
            @if (checks().length) {
              <div class="table-wrap" tabindex="0" role="region" aria-label="Verificações automáticas">
                <table class="data-table">
                  <caption class="sr-only">Resultado das verificações automáticas</caption>
                  <thead><tr><th scope="col">Verificação</th><th scope="col">Resultado</th><th scope="col">Motivo</th></tr></thead>
                  <tbody>
                    @for (c of checks(); track c.name) {
                      <tr><td>{{ c.name }}</td><td><span [class]="'status ' + (c.ok === true ? 'ok' : c.ok === false ? 'err' : 'pending')">{{ c.result }}</span></td><td>{{ c.reason || '—' }}</td></tr>
                    }
                  </tbody>
                </table>
              </div>
            } @else if (!a.reviewReasons?.length) {
              <p class="muted">Nenhuma verificação registrada.</p>
            }
            @if (a.decisions?.length) {
              <h3>Decisões</h3>
              <ul>
                @for (d of a.decisions; track $index) {
                  <li>{{ label[d.decision] || d.decision }} por {{ d.decidedByName || d.decidedBy || '—' }} em {{ d.decidedAt | dataBr: 'datetime' }}@if (d.reason) { — {{ reasonLabel[d.reason] || d.reason }} }</li>
                }
              </ul>
            }
          </div>
        </div>
        <div class="card">
          <h2>Imagens enviadas</h2>
          <div class="grid two">
            @for (kind of kinds; track kind.kind) {
              <figure class="kyc-image">
                @if (images()[kind.kind]; as src) {
                  <img [src]="src" [alt]="kind.alt + ' de ' + a.fullName" [attr.data-testid]="'kyc-image-' + kind.kind" />
                } @else if (imageErrors()[kind.kind]) {
                  <p class="muted">{{ imageErrors()[kind.kind] }}</p>
                } @else {
                  <div class="skeleton img-skeleton" aria-hidden="true"></div>
                }
                <figcaption>{{ kind.label }}</figcaption>
              </figure>
            }
          </div>
        </div>
        @if (a.status === 'PENDING_REVIEW') {
          <div class="card">
            <h2>Decisão</h2>
            <form [formGroup]="approveForm" (ngSubmit)="decide('approve')" novalidate aria-labelledby="approve-title">
              <h3 id="approve-title">Aprovar</h3>
              <div class="field">
                <label for="approve-reason">Observação <span class="muted">(opcional)</span></label>
                <input id="approve-reason" type="text" maxlength="500" formControlName="reason" />
              </div>
              <div class="btn-row"><button class="btn primary" type="submit" [disabled]="busy()">Aprovar cadastro</button></div>
            </form>
            <form [formGroup]="rejectForm" (ngSubmit)="decide('reject')" novalidate aria-labelledby="reject-title" class="reject">
              <h3 id="reject-title">Reprovar</h3>
              <div class="field">
                <label for="reject-reason">Motivo da reprovação</label>
                <textarea id="reject-reason" maxlength="500" formControlName="reason" [attr.aria-invalid]="rejectError() ? true : null"
                          aria-describedby="reject-reason-hint reject-reason-error"></textarea>
                <p class="hint" id="reject-reason-hint">O cliente será avisado da reprovação.</p>
                @if (rejectError(); as m) { <p class="error" id="reject-reason-error" role="alert">{{ m }}</p> }
              </div>
              <div class="btn-row"><button class="btn danger" type="submit" [disabled]="busy()">Reprovar cadastro</button></div>
            </form>
            @if (decisionError(); as m) { <div class="alert error" role="alert" data-testid="decision-error"><p>{{ m }}</p></div> }
          </div>
        }
      } @else if (!error()) {
        <div class="skeleton" aria-hidden="true"></div>
      }
    </section>
  `,
  styles: [
    '.kyc-image { margin: 0; display: flex; flex-direction: column; gap: .4rem; }',
    '.kyc-image img { border: 1px solid var(--line); border-radius: 8px; max-height: 24rem; object-fit: contain; background: #f3f4f6; }',
    '.kyc-image figcaption { color: var(--ink-2); font-size: .875rem; }',
    '.img-skeleton { min-height: 10rem; }',
    '.reject { margin-top: 1.5rem; padding-top: 1rem; border-top: 1px solid #e5e7eb; }',
  ],
})
export class KycApplicationComponent {
  private readonly api = inject(OperacaoApi);
  private readonly id = inject(ActivatedRoute).snapshot.paramMap.get('id') ?? '';
  private readonly browser = isPlatformBrowser(inject(PLATFORM_ID));
  private readonly ssr = inject(SSR_CONTEXT, { optional: true });
  protected readonly label = APPLICATION_STATUS_LABEL;
  protected readonly cls = statusClass;
  protected readonly kinds = [
    { kind: 'document' as const, label: 'Documento de identidade', alt: 'Documento de identidade' },
    { kind: 'selfie' as const, label: 'Selfie', alt: 'Selfie' },
  ];
  protected readonly app = signal<KycApplication | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly images = signal<Partial<Record<'document' | 'selfie', string>>>({});
  protected readonly imageErrors = signal<Partial<Record<'document' | 'selfie', string>>>({});
  protected readonly busy = signal(false);
  protected readonly done = signal<string | null>(null);
  protected readonly decisionError = signal<string | null>(null);
  protected readonly rejectError = signal<string | null>(null);
  protected readonly approveForm = new FormGroup({ reason: new FormControl('', { nonNullable: true }) });
  protected readonly rejectForm = new FormGroup({ reason: new FormControl('', { nonNullable: true }) });
  protected readonly reasonLabel = REVIEW_REASON_LABEL;
  protected readonly cpf = maskCpf;
  protected readonly checks = computed(() => checkLines(this.app()?.automaticChecks?.checks ?? this.app()?.checks));
  protected readonly address = computed(() => {
    const a = this.app()?.address;
    if (!a) return null;
    return [a['street'], a['number'], a['complement'], a['neighborhood'], a['city'] && a['state'] ? `${a['city']}/${a['state']}` : a['city'] || a['state'], a['cep']].filter(Boolean).join(', ') || null;
  });
  private readonly urls: string[] = [];

  constructor() {
    inject(DestroyRef).onDestroy(() => this.urls.forEach((u) => URL.revokeObjectURL(u)));
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.app.set(await this.api.kycApplication(this.id));
      this.error.set(null);
      // The images are read in the browser only (each view is audited: the server render does not count as one).
      if (!this.browser) return;
      for (const k of this.kinds) {
        if (this.hasImage(k.kind)) void this.loadImage(k.kind);
        else this.imageErrors.update((m) => ({ ...m, [k.kind]: 'Imagem não enviada.' }));
      }
    } catch (e) {
      const p = toProblem(e);
      if (this.ssr && p.status === 404) this.ssr.status = 404;
      this.error.set(p.status === 404 ? 'Cadastro não encontrado.' : p.message);
    }
  }

  /** Whether the application has this image (every one has both, unless the service does not say). */
  private hasImage(kind: string): boolean {
    const docs = this.app()?.documents;
    return !Array.isArray(docs) || docs.some((d) => d.kind === kind);
  }

  private async loadImage(kind: 'document' | 'selfie'): Promise<void> {
    try {
      const url = URL.createObjectURL(await this.api.kycImage(this.id, kind));
      this.urls.push(url);
      this.images.update((m) => ({ ...m, [kind]: url }));
    } catch (e) {
      const p = toProblem(e);
      this.imageErrors.update((m) => ({ ...m, [kind]: p.status === 404 ? 'Imagem não enviada.' : p.message }));
    }
  }

  protected async decide(what: 'approve' | 'reject'): Promise<void> {
    if (this.busy()) return;
    this.decisionError.set(null);
    this.rejectError.set(null);
    const reason = (what === 'approve' ? this.approveForm : this.rejectForm).controls.reason.value.trim();
    if (what === 'reject' && reason.length < 3) {
      this.rejectError.set('Informe o motivo da reprovação (ao menos 3 caracteres).');
      setTimeout(() => document.getElementById('reject-reason')?.focus());
      return;
    }
    this.busy.set(true);
    try {
      const result = what === 'approve' ? await this.api.approveApplication(this.id, reason) : await this.api.rejectApplication(this.id, reason);
      this.app.update((a) => (a ? { ...a, status: result.status } : a));
      this.done.set(what === 'approve' ? 'Cadastro aprovado. O cliente será avisado.' : 'Cadastro reprovado. O cliente será avisado.');
    } catch (e) {
      this.decisionError.set(toProblem(e).message);
    } finally {
      this.busy.set(false);
    }
  }
}
