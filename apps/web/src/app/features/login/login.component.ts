import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { safeReturnUrl } from '../../core/return-url';

/**
 * The sign-in page. The customer signs in on the bank's Keycloak page (KRT theme: CPF with mask and check digits,
 * password, "Esqueceu sua senha?") through the BFF's authorization code flow with PKCE: "Entrar" is a full navigation
 * to /auth/login, which brings the customer back to the return address signed in. No password is typed into the app.
 */
@Component({
  selector: 'krt-login',
  standalone: true,
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './login.component.html',
  styleUrl: './login.component.css',
})
export class LoginComponent {
  /** Where to go after signing in (bound from ?returnUrl=). */
  readonly returnUrl = input<string | undefined>();
  readonly expired = input<string | undefined>();
  private readonly target = computed(() => encodeURIComponent(safeReturnUrl(this.returnUrl())));
  protected readonly signInHref = computed(() => `/auth/login?returnUrl=${this.target()}`);
  protected readonly forgotHref = computed(() => `/auth/forgot-password?returnUrl=${this.target()}`);
}
