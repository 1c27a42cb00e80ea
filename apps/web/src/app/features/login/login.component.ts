import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { toProblem } from '../../core/api-error';
import { AuthService } from '../../core/auth.service';
import { safeReturnUrl } from '../../core/return-url';
import { MaskDirective } from '../../ui/mask.directive';
import { cpfValidator, errorOf, requiredMsg } from '../../ui/validators';

@Component({
  selector: 'krt-login',
  standalone: true,
  imports: [ReactiveFormsModule, RouterLink, MaskDirective],
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

  protected readonly form = new FormGroup({
    cpf: new FormControl('', { nonNullable: true, validators: [cpfValidator] }),
    password: new FormControl('', { nonNullable: true, validators: [requiredMsg('Informe sua senha.')] }),
  });
  protected readonly submitted = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly showPassword = signal(false);

  protected err(name: 'cpf' | 'password'): string | null {
    const c = this.form.controls[name];
    return errorOf(c, this.submitted() || c.touched);
  }

  protected async submit(): Promise<void> {
    this.submitted.set(true);
    this.error.set(null);
    if (this.form.invalid) {
      document.getElementById(this.form.controls.cpf.invalid ? 'cpf' : 'senha')?.focus();
      return;
    }
    this.busy.set(true);
    try {
      const { cpf, password } = this.form.getRawValue();
      const me = await this.auth.signIn(cpf.replace(/\D/g, ''), password);
      if (!me) throw new Error('no session');
      await this.router.navigateByUrl(this.target());
    } catch (e) {
      const p = toProblem(e);
      this.error.set(
        p.status === 401 || p.status === 400 || p.code === 'INVALID_CREDENTIALS'
          ? p.message && p.status !== 400 ? p.message : 'CPF ou senha incorretos. Confira e tente de novo.'
          : p.message,
      );
      this.form.controls.password.reset('');
      setTimeout(() => document.getElementById('login-error')?.focus());
    } finally {
      this.busy.set(false);
    }
  }
}
