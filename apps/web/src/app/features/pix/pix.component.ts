import { ChangeDetectionStrategy, Component } from '@angular/core';

@Component({
  selector: 'krt-pix',
  standalone: true,
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: '<section class="page"><h1>Pix</h1></section>',
})
export class PixComponent {}
