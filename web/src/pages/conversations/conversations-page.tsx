import { PlaceholderPage } from '../placeholder.js';

export function ConversationsPage() {
  return <PlaceholderPage label="nav.conversations" />;
}
