import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { SSR_CONTEXT } from '../../core/ssr-context';

/** /operacao for a session without the operators' role: 403, no data, no call to the back office's API. */
@Component({
  selector: 'krt-forbidden',
  standalone: true,
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page narrow" data-testid="forbidden">
      <h1>Acesso negado</h1>
      <p class="muted">Esta área é restrita aos operadores do KRT Bank. Sua conta não tem permissão para abri-la.</p>
      <a class="btn primary" routerLink="/inicio">Voltar ao início</a>
    </section>
  `,
})
export class ForbiddenComponent {
  constructor() {
    const ssr = inject(SSR_CONTEXT, { optional: true });
    if (ssr) ssr.status = 403;
  }
}
