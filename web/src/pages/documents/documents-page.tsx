import { PlaceholderPage } from '../placeholder.js';

export function DocumentsPage() {
  return <PlaceholderPage label="nav.documents" />;
}
