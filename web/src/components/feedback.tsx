import { useEffect, useRef, useState, type ReactNode } from 'react';
import { toErrorBody, type ApiErrorBody } from '../api/client.js';
import { useI18n, type Translate } from '../i18n/i18n.js';

/** The server's sentence; for what the browser itself reports (no server sentence), ours. */
export function errorHeadline(body: ApiErrorBody, t: Translate): string {
  if (body.error_code === 'NETWORK_ERROR') return t('common.networkError');
  if (body.error_code === 'CANCELLED') return t('common.cancelled');
  if (body.error_code === 'HTTP_ERROR') return `${t('common.errorTitle')} (${body.detail})`;
  return body.detail;
}

/**
 * The server's error shape, as the user sees it: the detail (a sentence the server wrote in the UI's
 * language, shown as it is), the code, and field messages.
 */
export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  if (error === undefined || error === null) return null;
  const body: ApiErrorBody = toErrorBody(error);
  return (
    <div className="error" role="alert">
      <strong>{errorHeadline(body, t)}</strong>
      {body.errors && body.errors.length > 0 && (
        <ul>
          {body.errors.map((e) => (
            <li key={`${e.field}:${e.message}`}>
              {e.field}: {e.message}
            </li>
          ))}
        </ul>
      )}
      <small className="error-code">{t('common.errorCode', { code: body.error_code })}</small>
      {onRetry && (
        <button type="button" className="link" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

/** A polite live region: screen readers announce what changed (uploads, deletions, saves). */
export function StatusMessage({ children }: { children: ReactNode }) {
  return (
    <p className="status-message" role="status" aria-live="polite">
      {children}
    </p>
  );
}

/** A modal confirmation on the native <dialog>: focus moves in and is kept there, Esc cancels. */
export function ConfirmDialog(props: { open: boolean; title: string; body: string; confirmLabel: string; danger?: boolean; onConfirm(): void; onCancel(): void }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="confirm-title" aria-describedby="confirm-body" onCancel={props.onCancel} onClose={() => props.open && props.onCancel()}>
      <h2 id="confirm-title">{props.title}</h2>
      <p id="confirm-body">{props.body}</p>
      <div className="actions">
        <button type="button" onClick={props.onCancel} autoFocus>
          {t('common.cancel')}
        </button>
        <button type="button" className={props.danger ? 'danger' : 'primary'} onClick={props.onConfirm}>
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/**
 * A list's "delete this row?" step: `ask(row)` opens the one confirmation dialog, which closes
 * before `onConfirm` runs, so a page keeps only what deleting means for it.
 */
export function useConfirmDelete<T>(props: { title: string; body(row: T): string; onConfirm(row: T): void }) {
  const { t } = useI18n();
  const [row, setRow] = useState<T>();
  const dialog = (
    <ConfirmDialog
      open={row !== undefined}
      title={props.title}
      body={row === undefined ? '' : props.body(row)}
      confirmLabel={t('common.delete')}
      danger
      onConfirm={() => {
        if (row === undefined) return;
        setRow(undefined);
        props.onConfirm(row);
      }}
      onCancel={() => setRow(undefined)}
    />
  );
  return { ask: (target: T) => setRow(() => target), dialog };
}
