import { ChangeDetectionStrategy, Component } from '@angular/core';

@Component({
  selector: 'krt-notifications',
  standalone: true,
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: '<section class="page"><h1>Notificações</h1></section>',
})
export class NotificationsComponent {}
