import { DOCUMENT, isPlatformBrowser } from '@angular/common';
import { ApplicationRef, ChangeDetectionStrategy, Component, PLATFORM_ID, computed, effect, inject, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { filter, first } from 'rxjs';
import { AuthService } from './core/auth.service';
import { LiveEventsService } from './core/live-events.service';
import { NotificationsStore } from './core/notifications.store';
import { IconComponent } from './ui/icon.component';

interface NavItem {
  path: string;
  label: string;
  icon: string;
  exact: boolean;
}

@Component({
  selector: 'krt-root',
  standalone: true,
  imports: [RouterOutlet, RouterLink, RouterLinkActive, IconComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './app.component.html',
  styleUrl: './app.component.css',
})
export class AppComponent {
  protected readonly auth = inject(AuthService);
  protected readonly notifications = inject(NotificationsStore);
  private readonly live = inject(LiveEventsService);
  private readonly router = inject(Router);
  private readonly document = inject(DOCUMENT);
  private readonly browser = isPlatformBrowser(inject(PLATFORM_ID));
  protected readonly url = signal('');
  /** The signed-in chrome (navigation) is shown on the bank's pages, not on /entrar or /abrir-conta. */
  protected readonly showNav = computed(() => this.auth.signedIn() && !/^\/(entrar|abrir-conta)/.test(this.url()));
  /** An operator's session (realm role admin): the header links the back office instead of the customer's pages. */
  protected readonly operator = computed(() => this.auth.isOperator());
  protected readonly customerNav = computed(() => this.showNav() && !this.operator());
  protected readonly badge = computed(() => {
    const n = this.notifications.unread();
    return n && n > 0 ? (n > 99 ? '99+' : String(n)) : null;
  });
  protected readonly nav: NavItem[] = [
    { path: '/inicio', label: 'Início', icon: 'home', exact: true },
    { path: '/pix', label: 'Pix', icon: 'pix', exact: false },
    { path: '/extrato', label: 'Extrato', icon: 'list', exact: true },
    { path: '/notificacoes', label: 'Notificações', icon: 'bell', exact: true },
    { path: '/perfil', label: 'Perfil', icon: 'user', exact: true },
  ];

  constructor() {
    // Once the app is first stable in the browser, hydration is done and the page is interactive:
    // tests (and monitoring) can wait for this marker.
    if (this.browser) {
      inject(ApplicationRef)
        .isStable.pipe(first((stable) => stable))
        .subscribe(() => this.document.documentElement.setAttribute('data-app-ready', 'true'));
    }
    let initial = true;
    this.router.events
      .pipe(filter((e): e is NavigationEnd => e instanceof NavigationEnd), takeUntilDestroyed())
      .subscribe((e) => {
        this.url.set(e.urlAfterRedirects);
        // After an in-app navigation, move focus to the new page's main content for screen-reader users.
        if (this.browser && !initial) setTimeout(() => this.document.getElementById('conteudo')?.focus({ preventScroll: true }));
        initial = false;
      });

    effect(() => {
      // Live events and the notification badge are the customer's: an operator has neither.
      const signedIn = this.auth.signedIn() && !this.auth.isOperator();
      untracked(() => {
        if (signedIn && this.browser) {
          this.live.start();
          if (this.notifications.unread() === null) void this.notifications.refresh();
        } else if (!signedIn) {
          this.live.stop();
        }
      });
    });
  }

  protected skipToContent(event: Event): void {
    event.preventDefault();
    this.document.getElementById('conteudo')?.focus();
  }
}
