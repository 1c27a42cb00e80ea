import { NgTemplateOutlet } from '@angular/common';
import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { toProblem } from '../../core/api-error';
import { LiveEventsService } from '../../core/live-events.service';
import type { Page } from '@krt/contracts';
import { notificationLink, NotificationsStore, type CenterNotification } from '../../core/notifications.store';
import { DataBrPipe } from '../../ui/pipes';

@Component({
  selector: 'krt-notifications',
  standalone: true,
  imports: [DataBrPipe, NgTemplateOutlet, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page narrow">
      <div class="page-head">
        <h1>Notificações</h1>
        @if (unreadCount()) {
          <button class="btn secondary" type="button" (click)="readAll()" [disabled]="busy()">Marcar todas como lidas</button>
        }
      </div>
      <div class="card">
        @if (error()) { <div class="alert error" role="alert"><p>{{ error() }}</p></div> }
        @if (items(); as list) {
          @if (list.length) {
            <ul class="notes" data-testid="notification-list">
              @for (n of list; track n.id) {
                <li [class.unread]="!n.readAt" data-testid="notification-item">
                  @if (link(n); as to) {
                    <!-- A notification about a PIX opens the transfer's page; opening it also marks it as read. -->
                    <a class="note-body note-link" [routerLink]="to" (click)="open(n)" data-testid="notification-link">
                      <ng-container *ngTemplateOutlet="content; context: { $implicit: n }" />
                    </a>
                  } @else {
                    <div class="note-body"><ng-container *ngTemplateOutlet="content; context: { $implicit: n }" /></div>
                  }
                  @if (!n.readAt) {
                    <button class="btn ghost" type="button" (click)="read(n)" [attr.aria-label]="'Marcar como lida: ' + n.title">Marcar como lida</button>
                  }
                </li>
              }
            </ul>
            <ng-template #content let-n>
              <p class="note-title">
                @if (!n.readAt) { <span class="dot" aria-hidden="true"></span><span class="sr-only">Não lida: </span> }
                {{ n.title }}
              </p>
              <p class="note-text">{{ n.body }}</p>
              <p class="muted small">{{ n.createdAt | dataBr: 'datetime' }}</p>
            </ng-template>
            @if (nextCursor()) { <div class="more"><button class="btn secondary" type="button" (click)="load(nextCursor()!)" [disabled]="loadingMore()">Carregar mais</button></div> }
          } @else {
            <p class="muted">Nenhuma notificação por enquanto. Avisaremos aqui quando algo acontecer com seu dinheiro.</p>
          }
        } @else if (!error()) {
          <div class="skeleton"></div>
        }
      </div>
    </section>
  `,
  styles: [
    '.notes { list-style: none; margin: 0; padding: 0; }',
    '.notes li { display: flex; gap: .75rem; justify-content: space-between; align-items: flex-start; padding: .85rem 0; border-bottom: 1px solid #e5e7eb; }',
    '.notes li:last-child { border-bottom: 0; }',
    '.notes li.unread .note-title { font-weight: 700; }',
    '.notes li .btn { flex: none; white-space: nowrap; }',
    '.note-body { flex: 1; min-width: 0; }',
    '.note-link { display: block; color: inherit; text-decoration: none; border-radius: .375rem; }',
    '.note-link:hover .note-title, .note-link:focus-visible .note-title { text-decoration: underline; }',
    '.note-title { margin: 0; display: flex; align-items: center; gap: .4rem; }',
    '.note-text { margin: .15rem 0; }',
    '.dot { width: .55rem; height: .55rem; border-radius: 50%; background: var(--brand-700); flex: none; }',
    '.more { display: flex; justify-content: center; padding-top: .75rem; }',
  ],
})
export class NotificationsComponent {
  private readonly http = inject(HttpClient);
  private readonly store = inject(NotificationsStore);
  protected readonly items = signal<CenterNotification[] | null>(null);
  protected readonly link = notificationLink;
  protected readonly nextCursor = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);
  /** A "Carregar mais" answer is on its way: a second press waits for it instead of asking for the same page again. */
  protected readonly loadingMore = signal(false);
  /** Bumped by every first-page load: an older page answer that lands after it is dropped, not appended. */
  private generation = 0;
  protected readonly unreadCount = computed(() => (this.items() ?? []).filter((n) => !n.readAt).length);

  constructor() {
    void this.load();
    // A new notification while the page is open: reload the first page so it appears on top.
    inject(LiveEventsService).notification$.pipe(takeUntilDestroyed()).subscribe(() => void this.load());
  }

  async load(cursor?: string): Promise<void> {
    if (cursor && this.loadingMore()) return;
    const generation = cursor ? this.generation : ++this.generation;
    if (cursor) this.loadingMore.set(true);
    try {
      const params: Record<string, string> = { limit: '20' };
      if (cursor) params['cursor'] = cursor;
      const page = await firstValueFrom(this.http.get<Page<CenterNotification>>('/api/v1/notifications', { params }));
      // A newer first page (a live notification) replaced the list meanwhile: this answer belongs to the old one.
      if (generation !== this.generation) return;
      this.items.update((list) => (cursor ? [...(list ?? []), ...page.items.filter((n) => !(list ?? []).some((x) => x.id === n.id))] : page.items));
      this.nextCursor.set(page.nextCursor ?? null);
      this.error.set(null);
      if (!cursor) void this.store.refresh();
    } catch (e) {
      if (generation === this.generation) this.error.set(toProblem(e).message);
    } finally {
      if (cursor) this.loadingMore.set(false);
    }
  }

  protected async read(n: CenterNotification): Promise<void> {
    try {
      await this.store.markRead(n.id);
      const now = new Date().toISOString();
      this.items.update((list) => (list ?? []).map((x) => (x.id === n.id ? { ...x, readAt: now } : x)));
    } catch (e) {
      this.error.set(toProblem(e).message);
    }
  }

  /** Opening a notification's transfer marks it as read, as "Marcar como lida" does; the link navigates meanwhile. */
  protected open(n: CenterNotification): void {
    if (!n.readAt) void this.store.markRead(n.id).catch(() => undefined);
  }

  protected async readAll(): Promise<void> {
    this.busy.set(true);
    try {
      await firstValueFrom(this.http.post('/api/v1/notifications/read-all', {}, { responseType: 'text' }));
      const now = new Date().toISOString();
      this.items.update((list) => (list ?? []).map((x) => ({ ...x, readAt: x.readAt ?? now })));
      this.store.set(0);
    } catch (e) {
      this.error.set(toProblem(e).message);
    } finally {
      this.busy.set(false);
    }
  }
}
