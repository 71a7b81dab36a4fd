import { useRef, useState } from 'react';
import { api } from '../../api/client.js';
import { useSession } from '../../auth/session.js';
import { CopyButton } from '../../components/copy-button.js';
import { ConfirmDialog, ErrorMessage, StatusMessage } from '../../components/feedback.js';
import { useI18n } from '../../i18n/i18n.js';
import type { EmbedSnippet } from './types.js';

/** The snippet to paste into a site, a copy button, and key rotation (ADMIN, confirmed). */
export function EmbedSnippetCard({ snippet, canRotate, onRotated }: { snippet: EmbedSnippet; canRotate: boolean; onRotated(next: EmbedSnippet): void }) {
  const { t } = useI18n();
  const { user } = useSession();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);
  const rotateButton = useRef<HTMLButtonElement>(null);

  async function rotate() {
    setConfirming(false);
    setError(undefined);
    try {
      onRotated(await api<EmbedSnippet>(`/api/v1/tenants/${user!.tenant_id}/widget-key/rotate`, { method: 'POST' }));
      setDone(true);
    } catch (caught) {
      setError(caught);
    }
    rotateButton.current?.focus();
  }

  return (
    <div className="card">
      <h2>{t('widget.snippet')}</h2>
      <p className="muted">{t('widget.snippetHelp')}</p>
      <pre id="embed-snippet" className="code" tabIndex={0}>
        {snippet.snippet}
      </pre>
      <CopyButton text={snippet.snippet} fallbackTarget="embed-snippet" />
      {canRotate && (
        <>
          <h3>{t('widget.rotateTitle')}</h3>
          <p className="muted">{t('widget.rotateHelp')}</p>
          <button ref={rotateButton} type="button" className="danger" onClick={() => setConfirming(true)}>
            {t('widget.rotate')}
          </button>
          <ErrorMessage error={error} />
          {done && <StatusMessage>{t('widget.rotated')}</StatusMessage>}
          <ConfirmDialog
            open={confirming}
            title={t('widget.rotateConfirmTitle')}
            body={t('widget.rotateConfirmBody')}
            confirmLabel={t('widget.rotate')}
            danger
            onConfirm={() => void rotate()}
            onCancel={() => setConfirming(false)}
          />
        </>
      )}
    </div>
  );
}
