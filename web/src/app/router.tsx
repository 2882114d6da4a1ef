import { createBrowserRouter, RouterProvider } from 'react-router';
import { HomeRedirect } from '@/app/layout/home-redirect.tsx';
import { AppShell } from '@/app/layout/app-shell.tsx';
import { RequireSession } from '@/app/layout/require-session.tsx';
import { LoginPage } from '@/app/routes/login.tsx';
import { PasswordPage } from '@/app/routes/password.tsx';
import { TwoFactorPage } from '@/app/routes/two-factor.tsx';
import { NotFoundPage } from '@/app/routes/not-found.tsx';
import { PageLoading } from '@/components/page-loading.tsx';

// Pages load on demand: the login page and the shell come first, charts only with the dashboard.
const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    path: '/two-factor',
    element: (
      <RequireSession twoFactorPage>
        <TwoFactorPage />
      </RequireSession>
    ),
  },
  {
    path: '/password',
    element: (
      <RequireSession passwordPage>
        <PasswordPage />
      </RequireSession>
    ),
  },
  {
    element: (
      <RequireSession>
        <AppShell />
      </RequireSession>
    ),
    hydrateFallbackElement: <PageLoading />,
    children: [
      { index: true, element: <HomeRedirect /> },
      { path: 'residents', lazy: () => import('@/app/routes/residents/residents-page.tsx') },
      { path: 'residents/new', lazy: () => import('@/app/routes/residents/resident-create-page.tsx') },
      { path: 'residents/:id', lazy: () => import('@/app/routes/residents/resident-detail-page.tsx') },
      { path: 'residents/:id/edit', lazy: () => import('@/app/routes/residents/resident-edit-page.tsx') },
      { path: 'households', lazy: () => import('@/app/routes/households/households-page.tsx') },
      { path: 'households/:id', lazy: () => import('@/app/routes/households/household-page.tsx') },
      { path: 'places', lazy: () => import('@/app/routes/places/places-page.tsx') },
      { path: 'dashboard', lazy: () => import('@/app/routes/dashboard/dashboard-page.tsx') },
      { path: 'reports', lazy: () => import('@/app/routes/reports/reports-page.tsx') },
      { path: 'imports', lazy: () => import('@/app/routes/imports/imports-page.tsx') },
      { path: 'audit', lazy: () => import('@/app/routes/audit/audit-page.tsx') },
      { path: 'users', lazy: () => import('@/app/routes/users/users-page.tsx') },
      { path: 'retention', lazy: () => import('@/app/routes/retention/retention-page.tsx') },
      { path: 'disputes', lazy: () => import('@/app/routes/disputes/disputes-page.tsx') },
      { path: 'disputes/:id', lazy: () => import('@/app/routes/disputes/dispute-page.tsx') },
      { path: 'petitions', lazy: () => import('@/app/routes/petitions/petitions-page.tsx') },
      { path: 'petitions/:id', lazy: () => import('@/app/routes/petitions/petition-page.tsx') },
      // Casework: visits and must-visits, pairing, assistance.
      { path: 'my-tasks', lazy: () => import('@/app/routes/visits/my-tasks-page.tsx') },
      { path: 'visits', lazy: () => import('@/app/routes/visits/visits-page.tsx') },
      { path: 'visits/new', lazy: () => import('@/app/routes/visits/visit-form-page.tsx') },
      { path: 'visits/:id', lazy: () => import('@/app/routes/visits/visit-page.tsx') },
      { path: 'visits/:id/edit', lazy: () => import('@/app/routes/visits/visit-form-page.tsx') },
      { path: 'must-visits', lazy: () => import('@/app/routes/visits/must-visits-page.tsx') },
      { path: 'visit-campaigns', lazy: () => import('@/app/routes/visits/visit-campaigns-page.tsx') },
      { path: 'visit-campaigns/:id', lazy: () => import('@/app/routes/visits/visit-campaign-page.tsx') },
      { path: 'pairings', lazy: () => import('@/app/routes/pairings/pairings-page.tsx') },
      { path: 'assistance', lazy: () => import('@/app/routes/assistance/assistance-page.tsx') },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
