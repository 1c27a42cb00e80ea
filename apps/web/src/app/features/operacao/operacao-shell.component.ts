import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { AuthService } from '../../core/auth.service';

/** The back office's frame: its sections and the operator's sign-out. */
@Component({
  selector: 'krt-operacao-shell',
  standalone: true,
  imports: [RouterOutlet, RouterLink, RouterLinkActive],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="ops">
      <div class="ops-bar">
        <p class="ops-who">Operação · <strong>{{ auth.me()?.name || 'Operador' }}</strong></p>
        <button class="btn ghost" type="button" (click)="signOut()" [disabled]="busy()" data-testid="operator-sign-out">Sair</button>
      </div>
      <nav class="ops-nav" aria-label="Seções da operação">
        @for (s of sections; track s.path) {
          <a [routerLink]="s.path" routerLinkActive="active" ariaCurrentWhenActive="page">{{ s.label }}</a>
        }
      </nav>
      <router-outlet />
    </div>
  `,
  styles: [
    '.ops { display: flex; flex-direction: column; gap: 1rem; }',
    '.ops-bar { display: flex; justify-content: space-between; align-items: center; gap: .5rem; }',
    '.ops-who { margin: 0; color: var(--ink-2); }',
    '.ops-nav { display: flex; gap: .25rem; border-bottom: 1px solid var(--line); overflow-x: auto; }',
    '.ops-nav a { padding: .7rem .9rem; color: var(--ink-2); font-weight: 600; text-decoration: none; border-bottom: 3px solid transparent; white-space: nowrap; }',
    '.ops-nav a:hover { color: var(--brand-900); }',
    '.ops-nav a.active { color: var(--brand-700); border-bottom-color: var(--brand-700); }',
  ],
})
export class OperacaoShellComponent {
  protected readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  protected readonly busy = signal(false);
  protected readonly sections = [
    { path: '/operacao/kyc', label: 'Análise de cadastros' },
    { path: '/operacao/clientes', label: 'Clientes' },
    { path: '/operacao/depositos', label: 'Depósitos' },
    { path: '/operacao/mensagens', label: 'Mensagens com falha' },
    { path: '/operacao/auditoria', label: 'Auditoria' },
  ];

  protected async signOut(): Promise<void> {
    this.busy.set(true);
    try {
      await this.auth.signOut();
    } finally {
      this.busy.set(false);
      await this.router.navigateByUrl('/entrar');
    }
  }
}
