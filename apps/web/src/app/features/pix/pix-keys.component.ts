import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { MAX_KEYS_PER_ACCOUNT, PixKey, type PixKeyType } from '@krt/domain';
import { firstValueFrom } from 'rxjs';
import { fieldErrors, toProblem } from '../../core/api-error';
import { KEY_TYPE_LABEL } from '../../core/format';
import type { PixKeyItem, PixKeyList } from '@krt/contracts';
import { IconComponent } from '../../ui/icon.component';
import { MaskDirective } from '../../ui/mask.directive';
import { DataBrPipe } from '../../ui/pipes';
import { maskCpf, maskPhone } from '../../ui/masks';

@Component({
  selector: 'krt-pix-keys',
  standalone: true,
  imports: [ReactiveFormsModule, RouterLink, IconComponent, MaskDirective, DataBrPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './pix-keys.component.html',
  styles: [
    '.key-list { list-style: none; padding: 0; margin: 0; }',
    '.key-list li { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: .5rem; padding: .8rem 0; border-bottom: 1px solid #e5e7eb; }',
    '.key-list li:last-child { border-bottom: 0; }',
    '.key-type { display: inline-block; font-size: .75rem; font-weight: 700; text-transform: uppercase; letter-spacing: .05em; color: var(--brand-900); background: var(--brand-100); border-radius: 6px; padding: .1rem .45rem; margin-bottom: .2rem; }',
    '.usage { height: 8px; background: #e5e7eb; border-radius: 99px; overflow: hidden; margin-top: .4rem; }',
    '.usage span { display: block; height: 100%; background: var(--brand-700); }',
    '.type-grid { display: grid; grid-template-columns: 1fr 1fr; gap: .5rem; }',
    '.type-grid label { border: 1px solid var(--line); border-radius: 10px; padding: .6rem .75rem; cursor: pointer; display: flex; gap: .5rem; align-items: center; }',
    '.type-grid label:has(input:checked) { border-color: var(--brand-700); background: var(--brand-50); }',
  ],
})
export class PixKeysComponent {
  private readonly http = inject(HttpClient);
  protected readonly max = signal(MAX_KEYS_PER_ACCOUNT);
  protected readonly keys = signal<PixKeyItem[] | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly formError = signal<string | null>(null);
  protected readonly valueError = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected readonly confirming = signal<string | null>(null);
  protected readonly full = computed(() => (this.keys()?.length ?? 0) >= this.max());
  protected readonly label = (t: string) => KEY_TYPE_LABEL[t] ?? t;
  /** "Chave CPF", "Chave E-mail", but "Chave aleatória" (its label already says it is a key). */
  private readonly keyName = (t: string) => (t === 'EVP' ? this.label(t) : `Chave ${this.label(t)}`);
  protected deleteLabel(k: PixKeyItem): string {
    const name = this.keyName(k.type);
    return `Excluir ${name.charAt(0).toLowerCase()}${name.slice(1)} ${this.display(k)}`;
  }
  protected readonly types: { id: PixKeyType; label: string }[] = [
    { id: 'CPF', label: 'CPF' },
    { id: 'EMAIL', label: 'E-mail' },
    { id: 'PHONE', label: 'Celular' },
    { id: 'EVP', label: 'Chave aleatória' },
  ];
  protected readonly form = new FormGroup({
    type: new FormControl<PixKeyType>('EVP', { nonNullable: true }),
    value: new FormControl('', { nonNullable: true }),
  });
  protected readonly type = signal<PixKeyType>('EVP');

  constructor() {
    void this.load();
    this.form.controls.type.valueChanges.subscribe((t) => {
      this.type.set(t);
      this.form.controls.value.setValue('');
      this.valueError.set(null);
      this.formError.set(null);
    });
    this.form.controls.value.valueChanges.subscribe(() => this.valueError.set(null));
  }

  protected display(k: PixKeyItem): string {
    if (k.type === 'CPF') return maskCpf(k.value);
    if (k.type === 'PHONE') return maskPhone(k.value);
    return k.value;
  }

  private async load(): Promise<void> {
    try {
      const res = await firstValueFrom(this.http.get<PixKeyList>('/api/v1/pix/keys'));
      this.keys.set(res.items);
      if (res.max) this.max.set(res.max);
      this.loadError.set(null);
    } catch (e) {
      this.loadError.set(toProblem(e).message);
    }
  }

  protected async register(): Promise<void> {
    this.formError.set(null);
    this.notice.set(null);
    const { type, value } = this.form.getRawValue();
    if (this.full()) {
      this.formError.set(`Você já tem ${this.max()} chaves, o máximo permitido. Exclua uma para cadastrar outra.`);
      return;
    }
    let canonical: string | undefined;
    if (type !== 'EVP') {
      if (!value.trim()) {
        this.valueError.set(type === 'CPF' ? 'Informe seu CPF.' : type === 'EMAIL' ? 'Informe o e-mail.' : 'Informe o celular com DDD.');
        setTimeout(() => document.getElementById('key-value')?.focus());
        return;
      }
      const parsed = PixKey.parse(type, value);
      if (!parsed.ok) {
        this.valueError.set(parsed.error.message);
        setTimeout(() => document.getElementById('key-value')?.focus());
        return;
      }
      canonical = parsed.value.value;
    }
    this.busy.set(true);
    try {
      const created = await firstValueFrom(this.http.post<PixKeyItem>('/api/v1/pix/keys', canonical ? { type, value: canonical } : { type }));
      this.notice.set(`${this.keyName(created.type)} cadastrada: ${this.display(created)}.`);
      this.form.controls.value.setValue('');
      await this.load();
    } catch (e) {
      const p = toProblem(e);
      const f = fieldErrors(p);
      if (f['value'] || f['key']) this.valueError.set(f['value'] ?? f['key']!);
      else this.formError.set(p.message);
    } finally {
      this.busy.set(false);
    }
  }

  protected async remove(k: PixKeyItem): Promise<void> {
    this.busy.set(true);
    this.notice.set(null);
    try {
      await firstValueFrom(this.http.delete(`/api/v1/pix/keys/${encodeURIComponent(k.id)}`, { responseType: 'text' }));
      this.confirming.set(null);
      this.notice.set(`${this.keyName(k.type)} excluída.`);
      await this.load();
    } catch (e) {
      this.formError.set(toProblem(e).message);
    } finally {
      this.busy.set(false);
    }
  }
}
