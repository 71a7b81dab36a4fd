import { PlaceholderPage } from '../placeholder.js';

export function ConversationDetailPage(_: { id: string }) {
  return <PlaceholderPage label="nav.conversations" />;
}
