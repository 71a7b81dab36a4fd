import { useRef, useState } from 'react';
import { ErrorMessage, StatusMessage } from '../../components/feedback.js';
import { useI18n } from '../../i18n/i18n.js';
import { importFaq, type FaqImportResult } from './faq-api.js';

/** Import a CSV (ADMIN): what was added, and each refused row with the server's reason (in the UI's language). */
export function FaqImport({ onImported }: { onImported(): void }) {
  const { t, language } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [result, setResult] = useState<FaqImportResult>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function send(file: File | undefined) {
    if (!file) return;
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await importFaq(file));
      onImported();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  }

  return (
    <div className="faq-import">
      <label className="button">
        {busy ? t('faq.importing') : t('faq.import')}
        <input ref={input} type="file" accept=".csv,text/csv" hidden disabled={busy} onChange={(e) => void send(e.target.files?.[0])} data-testid="faq-import-input" />
      </label>
      <small className="help">{t('faq.importHelp')}</small>
      <ErrorMessage error={error} />
      {result && (
        <div className="card faq-import-result" data-testid="faq-import-result">
          <StatusMessage>{t('faq.imported', { count: result.imported.toLocaleString(language) })}</StatusMessage>
          {result.failed.length > 0 && (
            <>
              <p>{t('faq.importFailed', { count: result.failed.length.toLocaleString(language) })}</p>
              <ul>
                {result.failed.map((failure) => (
                  <li key={failure.row}>
                    {t('faq.row', { row: failure.row })}: {failure.errors.map((e) => `${t(`faq.field.${e.field}` as never) || e.field}: ${e.message}`).join(' / ')}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </div>
  );
}
