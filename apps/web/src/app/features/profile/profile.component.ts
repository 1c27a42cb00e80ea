import { ChangeDetectionStrategy, Component } from '@angular/core';

@Component({
  selector: 'krt-profile',
  standalone: true,
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: '<section class="page"><h1>Perfil</h1></section>',
})
export class ProfileComponent {}
