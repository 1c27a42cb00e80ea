import type { Routes } from '@angular/router';
import { OperacaoShellComponent } from './operacao-shell.component';

/** /operacao/*: loaded only for an operator's session (operatorMatch in app.routes.ts). */
export const OPERACAO_ROUTES: Routes = [
  {
    path: '',
    component: OperacaoShellComponent,
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'kyc' },
      { path: 'kyc', title: 'Análise de cadastros', loadComponent: () => import('./kyc-queue.component').then((m) => m.KycQueueComponent) },
      { path: 'kyc/:id', title: 'Cadastro em análise', loadComponent: () => import('./kyc-application.component').then((m) => m.KycApplicationComponent) },
      { path: 'clientes', title: 'Clientes', loadComponent: () => import('./customers.component').then((m) => m.CustomersComponent) },
      { path: 'depositos', title: 'Depósitos', loadComponent: () => import('./deposits.component').then((m) => m.DepositsComponent) },
      { path: 'mensagens', title: 'Mensagens com falha', loadComponent: () => import('./dead-letters.component').then((m) => m.DeadLettersComponent) },
      { path: 'auditoria', title: 'Auditoria', loadComponent: () => import('./audit.component').then((m) => m.AuditComponent) },
      { path: '**', title: 'Página não encontrada', loadComponent: () => import('../not-found.component').then((m) => m.NotFoundComponent) },
    ],
  },
];
