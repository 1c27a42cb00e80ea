import { NgTemplateOutlet, isPlatformBrowser } from '@angular/common';
import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, PLATFORM_ID, computed, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, type AbstractControl } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { saoPauloDateString } from '@krt/domain';
import { firstValueFrom } from 'rxjs';
import { toProblem } from '../../core/api-error';
import { KIND_LABEL } from '../../core/format';
import type { Page, StatementItem } from '@krt/contracts';
import { IconComponent } from '../../ui/icon.component';
import { MaskDirective } from '../../ui/mask.directive';
import { BrlPipe, DataBrPipe } from '../../ui/pipes';
import { brDateToIso, errorOf } from '../../ui/validators';

type Period = '7' | '30' | '90' | 'custom';
const PAGE_SIZE = 20;

const optionalDate = (c: AbstractControl) => {
  const v = String(c.value ?? '').trim();
  if (!v) return null;
  const iso = brDateToIso(v);
  if (!iso || Number.isNaN(Date.parse(`${iso}T12:00:00Z`))) return { msg: 'Data inválida. Use dd/mm/aaaa.' };
  return null;
};

@Component({
  selector: 'krt-statement',
  standalone: true,
  imports: [ReactiveFormsModule, RouterLink, NgTemplateOutlet, IconComponent, MaskDirective, BrlPipe, DataBrPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './statement.component.html',
  styleUrl: './statement.component.css',
})
export class StatementComponent {
  private readonly http = inject(HttpClient);
  private readonly browser = isPlatformBrowser(inject(PLATFORM_ID));
  protected readonly filters = new FormGroup({
    period: new FormControl<Period>('30', { nonNullable: true }),
    from: new FormControl('', { nonNullable: true, validators: [optionalDate] }),
    to: new FormControl('', { nonNullable: true, validators: [optionalDate] }),
    type: new FormControl<'' | 'CREDIT' | 'DEBIT'>('', { nonNullable: true }),
    q: new FormControl('', { nonNullable: true }),
  });
  protected readonly period = signal<Period>('30');
  protected readonly items = signal<StatementItem[]>([]);
  protected readonly nextCursor = signal<string | null>(null);
  protected readonly loading = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly rangeError = signal<string | null>(null);
  protected readonly downloading = signal(false);
  protected readonly downloadError = signal<string | null>(null);
  protected readonly loaded = signal(false);
  protected readonly groups = computed(() => {
    const out: { day: string; items: StatementItem[] }[] = [];
    for (const item of this.items()) {
      const day = saoPauloDateString(new Date(item.occurredAt));
      const last = out[out.length - 1];
      if (last && last.day === day) last.items.push(item);
      else out.push({ day, items: [item] });
    }
    return out;
  });
  protected readonly kindLabel = (t: StatementItem) => KIND_LABEL[t.kind] ?? (t.type === 'CREDIT' ? 'Entrada' : 'Saída');
  private applied: Record<string, string> | null = null;
  /** Bumped by every new query: an answer to an older one is dropped, so a list is never filled twice. */
  private generation = 0;

  constructor() {
    this.filters.controls.period.valueChanges.subscribe((p) => {
      this.period.set(p);
      if (p !== 'custom') this.apply();
    });
    this.filters.controls.type.valueChanges.subscribe(() => this.apply());
    this.apply();
  }

  protected err(name: 'from' | 'to'): string | null {
    return errorOf(this.filters.controls[name], this.filters.controls[name].touched || this.filters.controls[name].dirty);
  }

  private params(): Record<string, string> | null {
    const f = this.filters.getRawValue();
    const params: Record<string, string> = {};
    if (f.period === 'custom') {
      this.filters.controls.from.markAsTouched();
      this.filters.controls.to.markAsTouched();
      if (this.filters.controls.from.invalid || this.filters.controls.to.invalid) return null;
      const from = brDateToIso(f.from);
      const to = brDateToIso(f.to);
      if (from && to && from > to) {
        this.rangeError.set('A data inicial deve ser anterior à final.');
        return null;
      }
      if (from) params['from'] = from;
      if (to) params['to'] = to;
    } else {
      const days = Number(f.period);
      params['from'] = saoPauloDateString(new Date(Date.now() - (days - 1) * 86_400_000));
    }
    if (f.type) params['type'] = f.type;
    if (f.q.trim()) params['q'] = f.q.trim();
    return params;
  }

  protected apply(): void {
    this.rangeError.set(null);
    const params = this.params();
    if (!params) return;
    // The same filters again ("Filtrar" right after a filter change already loaded them): one request is enough.
    if (this.applied && sameQuery(this.applied, params) && !this.error()) return;
    this.applied = params;
    this.items.set([]);
    this.nextCursor.set(null);
    this.loaded.set(false);
    void this.fetch(++this.generation);
  }

  protected more(): void {
    const cursor = this.nextCursor();
    if (!cursor || this.loading()) return;
    void this.fetch(this.generation, cursor);
  }

  private async fetch(generation: number, cursor?: string): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      const params: Record<string, string> = { ...this.applied, limit: String(PAGE_SIZE) };
      if (cursor) params['cursor'] = cursor;
      const page = await firstValueFrom(this.http.get<Page<StatementItem>>('/api/v1/accounts/me/statement', { params }));
      if (generation !== this.generation) return; // a newer query owns the list now
      this.items.update((list) => [...list, ...page.items]);
      this.nextCursor.set(page.nextCursor ?? null);
      this.loaded.set(true);
    } catch (e) {
      if (generation === this.generation) this.error.set(toProblem(e).message);
    } finally {
      if (generation === this.generation) this.loading.set(false);
    }
  }

  /** CSV with the same filters; fetched with the anti-forgery header, then saved by the browser. */
  protected async download(): Promise<void> {
    if (!this.browser) return;
    this.downloading.set(true);
    this.downloadError.set(null);
    try {
      const blob = await firstValueFrom(this.http.get('/api/v1/accounts/me/statement.csv', { params: this.applied ?? {}, responseType: 'blob' }));
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `extrato-krt-${saoPauloDateString(new Date())}.csv`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      this.downloadError.set(toProblem(e).message);
    } finally {
      this.downloading.set(false);
    }
  }
}

function sameQuery(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
