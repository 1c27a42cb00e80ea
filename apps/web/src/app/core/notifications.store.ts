import { HttpClient } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { LiveEventsService } from './live-events.service';

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
}
