import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { RouterLink } from '@angular/router';

/** The BFF's step-up for `page`: Keycloak asks for the password (prompt=login), then the browser comes back with ?confirmada=1. */
export const reauthenticateUrl = (page: string) => `/auth/reauthenticate?returnUrl=${encodeURIComponent(`${page}?confirmada=1`)}`;

/**
 * The "Confirme sua senha" step before a sensitive change (the bank takes it only within minutes of the password typed
 * on Keycloak's page). `headingId` lets the page move the focus here when the bank asked for the password again.
 */
@Component({
  selector: 'krt-confirm-password',
  standalone: true,
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 [id]="headingId()" tabindex="-1">Confirme sua senha</h2>
    @if (notice(); as m) { <div class="alert warn" role="alert"><p>{{ m }}</p></div> }
    <p>Para {{ purpose() }}, confirme primeiro a senha que você usa para entrar no KRT Bank.
      Você volta para esta página em seguida.</p>
    <div class="btn-row">
      <!-- A full navigation: the BFF sends the browser to Keycloak's sign-in page, which comes back here. -->
      <a class="btn primary" [href]="href()">Confirmar minha senha</a>
      <a class="btn ghost" routerLink="/perfil">Cancelar</a>
    </div>
  `,
})
export class ConfirmPasswordComponent {
  /** The page to come back to (`/perfil/contato`). */
  readonly page = input.required<string>();
  /** What the password unlocks, after "Para …" ("alterar seu e-mail ou celular"). */
  readonly purpose = input.required<string>();
  readonly headingId = input.required<string>();
  readonly notice = input<string | null>(null);
  protected readonly href = computed(() => reauthenticateUrl(this.page()));
}
