import { useEffect, type ReactNode } from 'react';
import { useSession } from './auth/session.js';
import { Shell } from './components/shell.js';
import { useI18n } from './i18n/i18n.js';
import { AcceptInvitationPage } from './pages/accept-invitation.js';
import { AccountPage } from './pages/account/account-page.js';
import { ApiKeysPage } from './pages/api-keys/api-keys-page.js';
import { BillingPage } from './pages/billing/billing-page.js';
import { ChatPage } from './pages/chat/chat-page.js';
import { ConversationDetailPage } from './pages/conversations/conversation-detail.js';
import { ConversationsPage } from './pages/conversations/conversations-page.js';
import { DocumentDetailPage } from './pages/documents/document-detail.js';
import { DocumentsPage } from './pages/documents/documents-page.js';
import { FaqPage } from './pages/faq/faq-page.js';
import { LoginPage } from './pages/login.js';
import { NotFoundPage } from './pages/not-found.js';
import { SignupPage } from './pages/signup.js';
import { TeamPage } from './pages/team/team-page.js';
import { UsagePage } from './pages/usage/usage-page.js';
import { AnalyticsPage } from './pages/analytics/analytics-page.js';
import { SettingsPage } from './pages/settings/settings-page.js';
import { WidgetPage } from './pages/widget/widget-page.js';
import { WebsiteDetailPage } from './pages/websites/website-detail.js';
import { WebsitesPage } from './pages/websites/websites-page.js';
import { matchPath, useRouter } from './router.js';


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
  ['/widget', () => <WidgetPage />],
  ['/api-keys', () => <ApiKeysPage />],
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
    if (params) return <Shell>{render(params)}</Shell>;
  }
  return <Shell>{path === '/' ? null : <NotFoundPage />}</Shell>;
}
