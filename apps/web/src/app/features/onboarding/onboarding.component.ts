import { isPlatformBrowser } from '@angular/common';
import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, DestroyRef, PLATFORM_ID, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, type AbstractControl, type ValidationErrors } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { Cpf, Phone, passwordRuleFailures, passwordStrength } from '@krt/domain';
import { firstValueFrom } from 'rxjs';
import { fieldErrors, toProblem } from '../../core/api-error';
import type { CpfCheck, CpfCheckAnswer, Registration } from '@krt/contracts';
import { MaskDirective } from '../../ui/mask.directive';
import { PinInputComponent, newPinValidator, pinControl, samePinValidator } from '../../ui/pin-input';
import {
  birthDateValidator,
  brDateToIso,
  cepValidator,
  cpfValidator,
  emailValidator,
  errorOf,
  nameValidator,
  passwordValidator,
  phoneValidator,
  requiredMsg,
} from '../../ui/validators';

const UFS = ['AC', 'AL', 'AP', 'AM', 'BA', 'CE', 'DF', 'ES', 'GO', 'MA', 'MT', 'MS', 'MG', 'PA', 'PB', 'PR', 'PE', 'PI', 'RJ', 'RN', 'RS', 'RO', 'RR', 'SC', 'SP', 'SE', 'TO'];
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const STRENGTH = ['Muito fraca', 'Fraca', 'Razoável', 'Boa', 'Forte'];
const ALL_RULES = [
  { code: 'PASSWORD_TOO_SHORT', label: 'Pelo menos 8 caracteres' },
  { code: 'PASSWORD_NO_UPPERCASE', label: 'Uma letra maiúscula' },
  { code: 'PASSWORD_NO_LOWERCASE', label: 'Uma letra minúscula' },
  { code: 'PASSWORD_NO_DIGIT', label: 'Um número' },
  { code: 'PASSWORD_NO_SPECIAL_CHAR', label: 'Um caractere especial (! @ # $ %)' },
  { code: 'PASSWORD_EQUALS_USERNAME', label: 'Diferente do seu CPF' },
];

type Step = 0 | 1 | 2 | 3 | 4;
type ImageKind = 'documentImage' | 'selfieImage';

/** Which step holds each field (for jumping back to a server-side error). */
const FIELD_STEP: Record<string, Step> = {
  fullName: 0, cpf: 0, birthDate: 0, email: 0, phone: 0, cep: 0, street: 0, number: 0, complement: 0, neighborhood: 0, city: 0, state: 0,
  password: 1, passwordConfirm: 1, transactionPin: 1, transactionPinConfirm: 1,
  documentType: 2, documentNumber: 2, documentIssuer: 2, documentImage: 2, selfieImage: 2,
  acceptTerms: 3, acceptPrivacy: 3,
};

@Component({
  selector: 'krt-onboarding',
  standalone: true,
  imports: [ReactiveFormsModule, RouterLink, MaskDirective, PinInputComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './onboarding.component.html',
  styleUrl: './onboarding.component.css',
})
export class OnboardingComponent {
  private readonly http = inject(HttpClient);
  private readonly browser = isPlatformBrowser(inject(PLATFORM_ID));
  protected readonly ufs = UFS;
  protected readonly steps = ['Seus dados', 'Senha', 'Documentos', 'Confirmação'];
  protected readonly step = signal<Step>(0);
  protected readonly submitted = signal<Record<number, boolean>>({});
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly serverErrors = signal<Record<string, string>>({});
  protected readonly result = signal<Registration | null>(null);
  protected readonly files = signal<Record<ImageKind, { file: File; url: string } | null>>({ documentImage: null, selfieImage: null });
  protected readonly fileErrors = signal<Record<ImageKind, string | null>>({ documentImage: null, selfieImage: null });
  private pollTimer: ReturnType<typeof setTimeout> | undefined;

  protected readonly personal = new FormGroup({
    fullName: new FormControl('', { nonNullable: true, validators: [nameValidator] }),
    cpf: new FormControl('', { nonNullable: true, validators: [cpfValidator] }),
    birthDate: new FormControl('', { nonNullable: true, validators: [birthDateValidator()] }),
    email: new FormControl('', { nonNullable: true, validators: [emailValidator] }),
    phone: new FormControl('', { nonNullable: true, validators: [phoneValidator] }),
    cep: new FormControl('', { nonNullable: true, validators: [cepValidator] }),
    street: new FormControl('', { nonNullable: true, validators: [requiredMsg('Informe a rua.')] }),
    number: new FormControl('', { nonNullable: true, validators: [requiredMsg('Informe o número (ou "S/N").')] }),
    complement: new FormControl('', { nonNullable: true }),
    neighborhood: new FormControl('', { nonNullable: true, validators: [requiredMsg('Informe o bairro.')] }),
    city: new FormControl('', { nonNullable: true, validators: [requiredMsg('Informe a cidade.')] }),
    state: new FormControl('', { nonNullable: true, validators: [requiredMsg('Escolha o estado.')] }),
  });
  protected readonly secret = new FormGroup({
    password: new FormControl('', { nonNullable: true, validators: [passwordValidator(() => this.cpfDigits())] }),
    passwordConfirm: new FormControl('', {
      nonNullable: true,
      validators: [(c: AbstractControl): ValidationErrors | null => (c.value && c.value === this.secret?.controls.password.value ? null : { msg: c.value ? 'As senhas não são iguais.' : 'Repita a senha.' })],
    }),
    // The transaction PIN that confirms every PIX, devolução and limit change (issue #23); weak PINs, the birth date's
    // day and month included, are refused here as the bank refuses them.
    transactionPin: pinControl(newPinValidator((): string | undefined => brDateToIso(this.personal.controls.birthDate.value) ?? undefined)),
    transactionPinConfirm: pinControl(samePinValidator((): string | undefined => this.secret?.controls.transactionPin.value)),
  });
  protected readonly docs = new FormGroup({
    documentType: new FormControl<'RG' | 'CNH'>('RG', { nonNullable: true }),
    documentNumber: new FormControl('', {
      nonNullable: true,
      validators: [
        (c: AbstractControl): ValidationErrors | null => {
          const v = String(c.value ?? '').replace(/[\s.-]/g, '').toUpperCase();
          if (!v) return { msg: 'Informe o número do documento.' };
          const cnh: boolean = this.docs?.controls.documentType.value === 'CNH';
          if (cnh ? !/^\d{11}$/.test(v) : !/^[0-9X]{5,14}$/.test(v)) return { msg: cnh ? 'A CNH tem 11 números.' : 'Número de RG inválido.' };
          return null;
        },
      ],
    }),
    documentIssuer: new FormControl('', {
      nonNullable: true,
      validators: [
        (c: AbstractControl) => {
          const v = String(c.value ?? '').trim();
          if (!v) return { msg: 'Informe o órgão emissor, por exemplo SSP/SP ou DETRAN.' };
          return /^[A-Za-zÀ-ÿ]{2,10}(?:[/ -][A-Za-z]{2})?$/.test(v) ? null : { msg: 'Órgão emissor inválido. Exemplo: SSP/SP.' };
        },
      ],
    }),
  });
  protected readonly consent = new FormGroup({
    acceptTerms: new FormControl(false, { nonNullable: true, validators: [(c: AbstractControl) => (c.value ? null : { msg: 'É preciso aceitar os termos de uso.' })] }),
    acceptPrivacy: new FormControl(false, { nonNullable: true, validators: [(c: AbstractControl) => (c.value ? null : { msg: 'É preciso aceitar a política de privacidade.' })] }),
  });

  private readonly cpfValue = toSignal(this.personal.controls.cpf.valueChanges, { initialValue: '' });
  private readonly passwordValue = toSignal(this.secret.controls.password.valueChanges, { initialValue: '' });
  protected readonly cpfOk = computed(() => Cpf.isValid(this.cpfValue()));
  protected readonly strength = computed(() => passwordStrength(this.passwordValue()));
  protected readonly strengthLabel = computed(() => STRENGTH[this.strength()]);
  protected readonly rules = computed(() => {
    const failed = new Set(passwordRuleFailures(this.passwordValue(), this.cpfDigits() || undefined).map((f) => f.code));
    return ALL_RULES.map((r) => ({ ...r, ok: this.passwordValue().length > 0 && !failed.has(r.code as never) }));
  });

  constructor() {
    this.secret.controls.password.valueChanges.subscribe(() => this.secret.controls.passwordConfirm.updateValueAndValidity({ emitEvent: false }));
    this.secret.controls.transactionPin.valueChanges.subscribe(() => {
      this.secret.controls.transactionPinConfirm.updateValueAndValidity({ emitEvent: false });
      if (this.serverErrors()['transactionPin']) this.serverErrors.update((e) => ({ ...e, transactionPin: undefined as unknown as string }));
    });
    // The birth date is part of the weak-PIN rules: a changed date is checked again.
    this.personal.controls.birthDate.valueChanges.subscribe(() => this.secret.controls.transactionPin.updateValueAndValidity({ emitEvent: false }));
    this.docs.controls.documentType.valueChanges.subscribe(() => this.docs.controls.documentNumber.updateValueAndValidity());
    this.personal.controls.cpf.valueChanges.subscribe(() => {
      if (this.serverErrors()['cpf']) this.serverErrors.update((e) => ({ ...e, cpf: undefined as unknown as string }));
    });
    inject(DestroyRef).onDestroy(() => {
      clearTimeout(this.pollTimer);
      for (const f of Object.values(this.files())) if (f) URL.revokeObjectURL(f.url);
    });
  }

  private cpfDigits(): string {
    return (this.personal?.controls.cpf.value ?? '').replace(/\D/g, '');
  }

  protected err(group: FormGroup, name: string, step: number): string | null {
    const server = this.serverErrors()[name];
    if (server) return server;
    const c = group.get(name);
    return errorOf(c, !!this.submitted()[step] || !!c?.touched);
  }

  protected fileErr(kind: ImageKind): string | null {
    return this.serverErrors()[kind] ?? this.fileErrors()[kind] ?? (this.submitted()[2] && !this.files()[kind] ? (kind === 'documentImage' ? 'Envie a foto do documento.' : 'Envie uma selfie.') : null);
  }

  protected onFile(kind: ImageKind, event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    const old = this.files()[kind];
    if (old) URL.revokeObjectURL(old.url);
    this.serverErrors.update((e) => ({ ...e, [kind]: undefined as unknown as string }));
    if (!file) {
      this.files.update((f) => ({ ...f, [kind]: null }));
      return;
    }
    let problem: string | null = null;
    if (!['image/jpeg', 'image/png'].includes(file.type)) problem = 'Envie uma imagem JPG ou PNG.';
    else if (file.size > MAX_IMAGE_BYTES) problem = 'A imagem deve ter até 5 MB.';
    this.fileErrors.update((e) => ({ ...e, [kind]: problem }));
    this.files.update((f) => ({ ...f, [kind]: problem ? null : { file, url: URL.createObjectURL(file) } }));
    if (problem) input.value = '';
  }

  private groupOf(step: number): FormGroup | null {
    return [this.personal, this.secret, this.docs, this.consent][step] ?? null;
  }

  protected next(): void {
    const s = this.step();
    this.submitted.update((m) => ({ ...m, [s]: true }));
    const group = this.groupOf(s);
    group?.markAllAsTouched();
    const filesMissing = s === 2 && (!this.files().documentImage || !this.files().selfieImage);
    if ((group && group.invalid) || filesMissing) {
      this.focusFirstError();
      return;
    }
    if (s === 0) void this.afterCpfCheck();
    else if (s < 3) this.go((s + 1) as Step);
    else void this.submit();
  }

  /**
   * A CPF that already has an account is said at the first step, not after all four. The bank answers only "taken or
   * not"; when it cannot answer (429, offline) the form goes on and the final step still catches a duplicate.
   */
  private async afterCpfCheck(): Promise<void> {
    this.busy.set(true);
    try {
      const { available } = await firstValueFrom(this.http.post<CpfCheckAnswer>('/api/v1/registrations/cpf-check', { cpf: this.cpfDigits() } satisfies CpfCheck));
      if (!available) {
        this.serverErrors.update((e) => ({ ...e, cpf: 'Já existe uma conta com este CPF. Entre com sua senha na página Entrar.' }));
        this.focusFirstError();
        return;
      }
    } catch {
      // Not a reason to stop the customer here: the registration itself refuses a duplicate.
    } finally {
      this.busy.set(false);
    }
    this.go(1);
  }

  protected back(): void {
    const s = this.step();
    if (s > 0) this.go((s - 1) as Step);
  }

  private go(step: Step): void {
    this.step.set(step);
    this.error.set(null);
    if (this.browser) setTimeout(() => document.getElementById('passo-titulo')?.focus());
  }

  private focusFirstError(): void {
    if (!this.browser) return;
    setTimeout(() => {
      const el = document.querySelector<HTMLElement>('[aria-invalid="true"]');
      el?.focus();
    });
  }

  private async submit(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    this.serverErrors.set({});
    const p = this.personal.getRawValue();
    const form = new FormData();
    form.set('fullName', p.fullName.trim());
    form.set('cpf', p.cpf.replace(/\D/g, ''));
    form.set('birthDate', brDateToIso(p.birthDate) ?? '');
    form.set('email', p.email.trim().toLowerCase());
    const phone = Phone.parse(p.phone);
    form.set('phone', phone.ok ? phone.value.toE164() : p.phone);
    form.set('cep', p.cep.replace(/\D/g, ''));
    form.set('street', p.street.trim());
    form.set('number', p.number.trim());
    if (p.complement.trim()) form.set('complement', p.complement.trim());
    form.set('neighborhood', p.neighborhood.trim());
    form.set('city', p.city.trim());
    form.set('state', p.state);
    form.set('password', this.secret.controls.password.value);
    form.set('transactionPin', this.secret.controls.transactionPin.value);
    form.set('acceptTerms', 'true');
    form.set('acceptPrivacy', 'true');
    const d = this.docs.getRawValue();
    form.set('documentType', d.documentType);
    form.set('documentNumber', d.documentNumber.replace(/[\s.-]/g, '').toUpperCase());
    form.set('documentIssuer', d.documentIssuer.trim().toUpperCase());
    const files = this.files();
    form.set('documentImage', files.documentImage!.file, files.documentImage!.file.name);
    form.set('selfieImage', files.selfieImage!.file, files.selfieImage!.file.name);
    try {
      const res = await firstValueFrom(this.http.post<Registration>('/api/v1/registrations', form));
      this.result.set(res);
      this.step.set(4);
      setTimeout(() => document.getElementById('passo-titulo')?.focus());
      this.poll(res);
    } catch (e) {
      const problem = toProblem(e);
      const fields = fieldErrors(problem);
      this.serverErrors.set(fields);
      const first = Object.keys(fields).map((f) => FIELD_STEP[f]).filter((s): s is Step => s !== undefined).sort()[0];
      this.error.set(problem.status === 409 ? problem.message : Object.keys(fields).length ? 'Alguns dados precisam de correção.' : problem.message);
      if (first !== undefined && first !== this.step()) this.go(first);
      this.focusFirstError();
    } finally {
      this.busy.set(false);
    }
  }

  /** Follows the KYC decision until it settles (ACTIVE, REJECTED) — slower while under manual review. */
  private poll(reg: Registration): void {
    if (!this.browser || !reg.statusToken) return;
    const token = reg.statusToken;
    const tick = async () => {
      try {
        const res = await firstValueFrom(this.http.get<Registration>(`/api/v1/registrations/${encodeURIComponent(reg.applicationId)}`, { params: { token } }));
        this.result.set({ ...res, statusToken: token });
        if (res.status === 'ACTIVE' || res.status === 'REJECTED') return;
        this.pollTimer = setTimeout(tick, res.status === 'PENDING_REVIEW' ? 5000 : 1500);
      } catch {
        this.pollTimer = setTimeout(tick, 5000);
      }
    };
    this.pollTimer = setTimeout(tick, 800);
  }
}
