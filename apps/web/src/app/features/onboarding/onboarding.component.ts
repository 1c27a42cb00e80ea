import { ChangeDetectionStrategy, Component } from '@angular/core';

@Component({
  selector: 'krt-onboarding',
  standalone: true,
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: '<section class="page"><h1>Abrir conta</h1></section>',
})
export class OnboardingComponent {}
