import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { toProblem } from '../../core/api-error';
import { AuthService } from '../../core/auth.service';
import { safeReturnUrl } from '../../core/return-url';
import { cpfMessage } from '../../ui/field-messages';
import { maskCpf } from '../../ui/masks';

/**
 * The sign-in page: the first page most visits load, so it is built from signals and plain inputs rather than
 * @angular/forms (which alone adds ~8 kB gzipped to the first visit); the messages are the forms' own (field-messages).
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
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  /** Where to go after signing in (bound from ?returnUrl=). */
  readonly returnUrl = input<string | undefined>();
  readonly expired = input<string | undefined>();
  protected readonly target = computed(() => safeReturnUrl(this.returnUrl()));
  protected readonly keycloakHref = computed(() => `/auth/login?returnUrl=${encodeURIComponent(this.target())}`);

  protected readonly cpf = signal('');
  protected readonly password = signal('');
  private readonly touched = signal({ cpf: false, password: false });
  protected readonly submitted = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly showPassword = signal(false);

  private readonly problems = computed(() => ({
    cpf: cpfMessage(this.cpf()),
    password: this.password() === '' ? 'Informe sua senha.' : null,
  }));

  protected err(name: 'cpf' | 'password'): string | null {
    return this.submitted() || this.touched()[name] ? this.problems()[name] : null;
  }

  protected onCpfInput(el: HTMLInputElement): void {
    const formatted = maskCpf(el.value);
    if (formatted !== el.value) el.value = formatted;
    this.cpf.set(formatted);
  }

  protected blur(name: 'cpf' | 'password'): void {
    this.touched.update((t) => ({ ...t, [name]: true }));
  }

  protected async submit(event: Event, form: HTMLFormElement): Promise<void> {
    event.preventDefault();
    // What is in the inputs counts, even if typed or autofilled before the page was interactive.
    const cpfEl = form.elements.namedItem('cpf') as HTMLInputElement;
    const passwordEl = form.elements.namedItem('password') as HTMLInputElement;
    this.onCpfInput(cpfEl);
    this.password.set(passwordEl.value);
    this.submitted.set(true);
    this.error.set(null);
    const problems = this.problems();
    if (problems.cpf || problems.password) {
      document.getElementById(problems.cpf ? 'cpf' : 'senha')?.focus();
      return;
    }
    this.busy.set(true);
    try {
      const me = await this.auth.signIn(this.cpf().replace(/\D/g, ''), this.password());
      if (!me) throw new Error('no session');
      await this.router.navigateByUrl(this.target());
    } catch (e) {
      const p = toProblem(e);
      this.error.set(
        p.status === 401 || p.status === 400 || p.code === 'INVALID_CREDENTIALS'
          ? p.message && p.status !== 400 ? p.message : 'CPF ou senha incorretos. Confira e tente de novo.'
          : p.message,
      );
      this.password.set('');
      (form.elements.namedItem('password') as HTMLInputElement).value = '';
      // The server's message says what went wrong; the emptied field is not flagged beside it until the customer
      // leaves it or submits again.
      this.touched.update((t) => ({ ...t, password: false }));
      this.submitted.set(false);
      setTimeout(() => document.getElementById('login-error')?.focus());
    } finally {
      this.busy.set(false);
    }
  }
}
