import { lazy, Suspense, useEffect, type ComponentType, type ReactNode } from 'react';
import { useSession } from './auth/session.js';
import { Shell } from './components/shell.js';
import { useI18n } from './i18n/i18n.js';
import { AcceptInvitationPage } from './pages/accept-invitation.js';
import { ChatPage } from './pages/chat/chat-page.js';
import { ConversationsPage } from './pages/conversations/conversations-page.js';
import { DocumentsPage } from './pages/documents/documents-page.js';
import { LoginPage } from './pages/login.js';
import { NotFoundPage } from './pages/not-found.js';
import { SignupPage } from './pages/signup.js';
import { matchPath, useRouter } from './router.js';


/**
 * Pages past the first visit's (the documents, chat and conversations lists) load when opened: the first visit
 * downloads only its own (the budget in scripts/build-web.ts counts what it downloads).
 */
function later<P extends object>(load: () => Promise<ComponentType<P>>) {
  return lazy(async () => ({ default: await load() }));
}
const ConversationDetailPage = later(() => import('./pages/conversations/conversation-detail.js').then((m) => m.ConversationDetailPage));
const DocumentDetailPage = later(() => import('./pages/documents/document-detail.js').then((m) => m.DocumentDetailPage));
const AccountPage = later(() => import('./pages/account/account-page.js').then((m) => m.AccountPage));
const ApiKeysPage = later(() => import('./pages/api-keys/api-keys-page.js').then((m) => m.ApiKeysPage));
const BillingPage = later(() => import('./pages/billing/billing-page.js').then((m) => m.BillingPage));
const FaqPage = later(() => import('./pages/faq/faq-page.js').then((m) => m.FaqPage));
const TeamPage = later(() => import('./pages/team/team-page.js').then((m) => m.TeamPage));
const UsagePage = later(() => import('./pages/usage/usage-page.js').then((m) => m.UsagePage));
const InboxPage = later(() => import('./pages/inbox/inbox-page.js').then((m) => m.InboxPage));
const InboxDetailPage = later(() => import('./pages/inbox/inbox-detail.js').then((m) => m.InboxDetailPage));
const AnalyticsPage = later(() => import('./pages/analytics/analytics-page.js').then((m) => m.AnalyticsPage));
const SettingsPage = later(() => import('./pages/settings/settings-page.js').then((m) => m.SettingsPage));
const WidgetPage = later(() => import('./pages/widget/widget-page.js').then((m) => m.WidgetPage));
const WebsiteDetailPage = later(() => import('./pages/websites/website-detail.js').then((m) => m.WebsiteDetailPage));
const WebsitesPage = later(() => import('./pages/websites/websites-page.js').then((m) => m.WebsitesPage));
const WebhooksPage = later(() => import('./pages/webhooks/webhooks-page.js').then((m) => m.WebhooksPage));
const WebhookDetailPage = later(() => import('./pages/webhooks/webhook-detail.js').then((m) => m.WebhookDetailPage));

type Route = [pattern: string, render: (params: Record<string, string>) => ReactNode];
const appRoutes: Route[] = [
  ['/documents', () => <DocumentsPage />],
  ['/documents/:id', (p) => <DocumentDetailPage id={p.id!} />],
  ['/faq', () => <FaqPage />],
  ['/websites', () => <WebsitesPage />],
  ['/websites/:id', (p) => <WebsiteDetailPage id={p.id!} />],
  ['/chat', () => <ChatPage />],
  ['/conversations', () => <ConversationsPage />],
  ['/conversations/:id', (p) => <ConversationDetailPage id={p.id!} />],
  ['/inbox', () => <InboxPage />],
  ['/inbox/:id', (p) => <InboxDetailPage id={p.id!} />],
  ['/widget', () => <WidgetPage />],
  ['/api-keys', () => <ApiKeysPage />],
  ['/webhooks', () => <WebhooksPage />],
  ['/webhooks/:id', (p) => <WebhookDetailPage id={p.id!} />],
  ['/usage', () => <UsagePage />],
  ['/analytics', () => <AnalyticsPage />],
  ['/billing', () => <BillingPage />],
  ['/team', () => <TeamPage />],
  ['/account', () => <AccountPage />],
  ['/settings', () => <SettingsPage />],
];

export function App() {
  const { path, navigate } = useRouter();
  const { user } = useSession();
  const { t } = useI18n();

  useEffect(() => {
    if (path === '/' && user) navigate('/documents', { replace: true });
  }, [path, user, navigate]);

  if (path === '/login') return <LoginPage />;
  if (path === '/signup') return <SignupPage />;
  // /invite#token=… is the link the API hands out (the fragment never reaches a server log); /accept?token=… is kept.
  if (path === '/accept' || path === '/invite') return <AcceptInvitationPage />;
  if (!user) {
    return (
      <p className="loading" role="status">
        {t('app.loading')}
      </p>
    );
  }
  for (const [pattern, render] of appRoutes) {
    const params = matchPath(pattern, path);
    if (params)
      return (
        <Shell>
          <Suspense fallback={<p className="loading" role="status">{t('app.loading')}</p>}>{render(params)}</Suspense>
        </Shell>
      );
  }
  return <Shell>{path === '/' ? null : <NotFoundPage />}</Shell>;
}
