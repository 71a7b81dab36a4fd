import { PlaceholderPage } from '../placeholder.js';

export function DocumentDetailPage(_: { id: string }) {
  return <PlaceholderPage label="nav.documents" />;
}
