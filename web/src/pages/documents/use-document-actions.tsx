import { useState } from 'react';
import { ConfirmDialog } from '../../components/feedback.js';
import { useI18n } from '../../i18n/i18n.js';
import { deleteContent, reprocessContent, type Content } from './documents-api.js';

/** Reprocess and delete (ADMIN), the delete behind a confirmation dialog. Renders the dialog itself. */
export function useDocumentActions(options: { onChanged(message: string, deleted?: Content): void; onError(error: unknown): void }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState<Content>();

  async function reprocess(content: Content) {
    try {
      await reprocessContent(content.id);
      options.onChanged(t('documents.reprocessed'));
    } catch (error) {
      options.onError(error);
    }
  }

  async function confirmDelete() {
    const content = confirming;
    setConfirming(undefined);
    if (!content) return;
    try {
      await deleteContent(content.id);
      options.onChanged(t('documents.deleted', { name: content.file_name }), content);
    } catch (error) {
      options.onError(error);
    }
  }

  const dialog = (
    <ConfirmDialog
      open={confirming !== undefined}
      title={t('documents.deleteTitle', { name: confirming?.file_name ?? '' })}
      body={t('documents.deleteBody')}
      confirmLabel={t('documents.delete')}
      danger
      onConfirm={() => void confirmDelete()}
      onCancel={() => setConfirming(undefined)}
    />
  );
  return { reprocess, askDelete: setConfirming, dialog };
}
