import type { Routes } from '@angular/router';
import { authGuard, guestGuard, operatorMatch, sessionKnown } from './core/auth.guard';

export const routes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: 'inicio' },
  {
    path: 'entrar',
    title: 'Entrar',
    canActivate: [guestGuard],
    loadComponent: () => import('./features/login/login.component').then((m) => m.LoginComponent),
  },
  {
    path: 'abrir-conta',
    title: 'Abrir conta',
    loadComponent: () => import('./features/onboarding/onboarding.component').then((m) => m.OnboardingComponent),
  },
  {
    path: 'termos',
    title: 'Termos de Uso',
    canActivate: [sessionKnown],
    data: { document: 'termos' },
    loadComponent: () => import('./features/legal/legal.component').then((m) => m.LegalComponent),
  },
  {
    path: 'privacidade',
    title: 'Política de Privacidade',
    canActivate: [sessionKnown],
    data: { document: 'privacidade' },
    loadComponent: () => import('./features/legal/legal.component').then((m) => m.LegalComponent),
  },
  {
    // Public: anyone holding a receipt checks its authentication code, signed in or not (issue #18).
    path: 'comprovantes/verificar',
    title: 'Verificar comprovante',
    canActivate: [sessionKnown],
    loadComponent: () => import('./features/receipts/receipt-verify.component').then((m) => m.ReceiptVerifyComponent),
  },
  {
    path: 'inicio',
    title: 'Início',
    canActivate: [authGuard],
    loadComponent: () => import('./features/dashboard/dashboard.component').then((m) => m.DashboardComponent),
  },
  {
    path: 'pix',
    canActivate: [authGuard],
    children: [
      { path: '', title: 'Pix', loadComponent: () => import('./features/pix/pix.component').then((m) => m.PixComponent) },
      { path: 'chaves', title: 'Minhas chaves Pix', loadComponent: () => import('./features/pix/pix-keys.component').then((m) => m.PixKeysComponent) },
      { path: 'historico', title: 'Histórico de Pix', loadComponent: () => import('./features/pix/transfer-history.component').then((m) => m.TransferHistoryComponent) },
      {
        path: 'transferencias/:id',
        title: 'Comprovante Pix',
        loadComponent: () => import('./features/pix/transfer-detail.component').then((m) => m.TransferDetailComponent),
      },
    ],
  },
  {
    path: 'extrato',
    title: 'Extrato',
    canActivate: [authGuard],
    loadComponent: () => import('./features/statement/statement.component').then((m) => m.StatementComponent),
  },
  {
    path: 'notificacoes',
    title: 'Notificações',
    canActivate: [authGuard],
    loadComponent: () => import('./features/notifications/notifications.component').then((m) => m.NotificationsComponent),
  },
  {
    path: 'perfil',
    title: 'Perfil',
    canActivate: [authGuard],
    loadComponent: () => import('./features/profile/profile.component').then((m) => m.ProfileComponent),
  },
  {
    path: 'perfil/contato',
    title: 'E-mail e celular',
    canActivate: [authGuard],
    loadComponent: () => import('./features/profile/contact.component').then((m) => m.ContactComponent),
  },
  {
    path: 'perfil/senha-de-transacao',
    title: 'Senha de transação',
    canActivate: [authGuard],
    loadComponent: () => import('./features/profile/transaction-pin.component').then((m) => m.TransactionPinComponent),
  },
  {
    // The back office (issue #19): operators only. Anyone else gets the route below.
    path: 'operacao',
    canMatch: [operatorMatch],
    loadChildren: () => import('./features/operacao/operacao.routes').then((m) => m.OPERACAO_ROUTES),
  },
  {
    // Not an operator: signed out → /entrar (and back here afterwards); a customer → 403, no data.
    path: 'operacao',
    canActivate: [authGuard],
    children: [{ path: '**', title: 'Acesso negado', loadComponent: () => import('./features/operacao/forbidden.component').then((m) => m.ForbiddenComponent) }],
  },
  {
    path: '**',
    title: 'Página não encontrada',
    canActivate: [sessionKnown],
    loadComponent: () => import('./features/not-found.component').then((m) => m.NotFoundComponent),
  },
];
