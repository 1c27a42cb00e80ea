import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { SSR_CONTEXT } from '../core/ssr-context';

@Component({
  selector: 'krt-not-found',
  standalone: true,
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page narrow">
      <h1>Página não encontrada</h1>
      <p class="muted">O endereço que você abriu não existe no KRT Bank.</p>
      <a class="btn primary" routerLink="/inicio">Voltar ao início</a>
    </section>
  `,
})
export class NotFoundComponent {
  constructor() {
    const ssr = inject(SSR_CONTEXT, { optional: true });
    if (ssr) ssr.status = 404;
  }
}
