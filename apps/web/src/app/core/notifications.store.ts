import { HttpClient } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { LiveEventsService } from './live-events.service';
import type { NotificationItem } from '@krt/contracts';

/** A notification as the API gives it (the contract's): one about a PIX names the transfer it opens. */
export type CenterNotification = NotificationItem;

/** The page a notification opens (the transfer's detail), or null when it is about no transfer. */
export function notificationLink(n: Pick<CenterNotification, 'transferId'>): string[] | null {
  return n.transferId ? ['/pix/transferencias', n.transferId] : null;
}

/** The unread count behind the header badge: loaded once, then kept live by the BFF's events. */
@Injectable({ providedIn: 'root' })
export class NotificationsStore {
  private readonly http = inject(HttpClient);
  readonly unread = signal<number | null>(null);

  constructor() {
    inject(LiveEventsService).notification$.subscribe(() => this.unread.update((n) => (n ?? 0) + 1));
  }

  async refresh(): Promise<void> {
    try {
      const res = await firstValueFrom(this.http.get<{ count: number }>('/api/v1/notifications/unread-count'));
      this.unread.set(typeof res?.count === 'number' ? res.count : 0);
    } catch {
      // The badge is optional: the header still works without it.
    }
  }

  set(count: number): void {
    this.unread.set(Math.max(0, count));
  }

  /** Marks one notification as read (the API is idempotent) and lowers the badge; rejects with the HTTP error. */
  async markRead(id: string): Promise<void> {
    await firstValueFrom(this.http.post(`/api/v1/notifications/${encodeURIComponent(id)}/read`, {}, { responseType: 'text' }));
    this.unread.update((c) => Math.max(0, (c ?? 1) - 1));
  }
}
