import { useI18n } from '../../i18n/i18n.js';
import type { ContentStatus } from './documents-api.js';

export function StatusBadge({ status }: { status: ContentStatus }) {
  const { t } = useI18n();
  return <span className={`badge status-${status}`}>{t(`documents.status.${status}`)}</span>;
}
