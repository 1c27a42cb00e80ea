import { ChangeDetectionStrategy, Component } from '@angular/core';

@Component({
  selector: 'krt-statement',
  standalone: true,
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: '<section class="page"><h1>Extrato</h1></section>',
})
export class StatementComponent {}
