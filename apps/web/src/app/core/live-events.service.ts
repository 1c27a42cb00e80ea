import { isPlatformBrowser } from '@angular/common';
import { Injectable, NgZone, PLATFORM_ID, inject } from '@angular/core';
import { Subject } from 'rxjs';
import type { PixStatusEvent } from '@krt/contracts';

export interface LiveNotification {
  id?: string;
  title?: string;
  body?: string;
  kind?: string;
}

/**
 * Server-sent events from the BFF (/api/v1/events), read with fetch so the anti-forgery header
 * can be sent (EventSource cannot send headers). Reconnects with backoff; browser only.
 */
@Injectable({ providedIn: 'root' })
export class LiveEventsService {
  private readonly zone = inject(NgZone);
  private readonly browser = isPlatformBrowser(inject(PLATFORM_ID));
  readonly pixStatus$ = new Subject<PixStatusEvent>();
  readonly notification$ = new Subject<LiveNotification>();
  readonly connected$ = new Subject<boolean>();
  private controller: AbortController | undefined;

  start(): void {
    if (!this.browser || this.controller) return;
    const controller = new AbortController();
    this.controller = controller;
    this.zone.runOutsideAngular(() => void this.loop(controller.signal));
  }

  stop(): void {
    this.controller?.abort();
    this.controller = undefined;
  }

  private async loop(signal: AbortSignal): Promise<void> {
    let attempt = 0;
    while (!signal.aborted) {
      try {
        const res = await fetch('/api/v1/events', {
          headers: { Accept: 'text/event-stream', 'X-CSRF': '1' },
          credentials: 'same-origin',
          signal,
        });
        if (res.status === 401 || res.status === 403) return this.stopFromInside(signal);
        if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`);
        attempt = 0;
        this.zone.run(() => this.connected$.next(true));
        await this.read(res.body, signal);
      } catch {
        if (signal.aborted) return;
      }
      this.zone.run(() => this.connected$.next(false));
      attempt++;
      await new Promise((r) => setTimeout(r, Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5))));
    }
  }

  private stopFromInside(signal: AbortSignal): void {
    if (this.controller?.signal === signal) this.controller = undefined;
  }

  private async read(body: ReadableStream<Uint8Array>, signal: AbortSignal): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    while (!signal.aborted) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        this.dispatch(block);
      }
    }
  }

  private dispatch(block: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const sep = line.indexOf(':');
      const field = sep < 0 ? line : line.slice(0, sep);
      const value = sep < 0 ? '' : line.slice(sep + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (!data.length) return;
    let payload: unknown;
    try {
      payload = JSON.parse(data.join('\n'));
    } catch {
      return;
    }
    this.zone.run(() => {
      if (event === 'pix.status' && isPixStatus(payload)) this.pixStatus$.next(payload);
      else if (event === 'notification' && payload && typeof payload === 'object') this.notification$.next(payload as LiveNotification);
    });
  }
}

function isPixStatus(value: unknown): value is PixStatusEvent {
  return !!value && typeof value === 'object' && typeof (value as PixStatusEvent).transferId === 'string' && typeof (value as PixStatusEvent).status === 'string';
}
