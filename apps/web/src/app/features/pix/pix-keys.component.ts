import { ChangeDetectionStrategy, Component } from '@angular/core';

@Component({
  selector: 'krt-pix-keys',
  standalone: true,
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: '<section class="page"><h1>Chaves</h1></section>',
})
export class PixKeysComponent {}
