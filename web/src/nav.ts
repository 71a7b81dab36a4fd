import type { MessageKey } from './i18n/en.js';

/** The pages of the navigation, in order. */
export interface NavItem {
  path: string;
  label: MessageKey;
}
export const navItems: NavItem[] = [
  { path: '/documents', label: 'nav.documents' },
  { path: '/faq', label: 'nav.faq' },
  { path: '/websites', label: 'nav.websites' },
  { path: '/chat', label: 'nav.chat' },
  { path: '/conversations', label: 'nav.conversations' },
  { path: '/inbox', label: 'nav.inbox' },
  { path: '/analytics', label: 'nav.analytics' },
  { path: '/widget', label: 'nav.widget' },
  { path: '/api-keys', label: 'nav.apiKeys' },
  { path: '/webhooks', label: 'nav.webhooks' },
  { path: '/usage', label: 'nav.usage' },
  { path: '/billing', label: 'nav.billing' },
  { path: '/team', label: 'nav.team' },
  { path: '/account', label: 'nav.account' },
  { path: '/settings', label: 'nav.settings' },
];
