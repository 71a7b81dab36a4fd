import { PlaceholderPage } from '../placeholder.js';

export function ChatPage() {
  return <PlaceholderPage label="nav.chat" />;
}
