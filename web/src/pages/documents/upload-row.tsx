import { errorHeadline } from '../../components/feedback.js';
import { formatBytes } from '../../format.js';
import { useI18n } from '../../i18n/i18n.js';
import { Link } from '../../router.js';
import type { QueuedUpload, QueuePause } from './upload-queue.js';

interface UploadRowProps {
  upload: QueuedUpload;
  pause?: QueuePause;
  /** Seconds left of the pause, counted down by the panel. */
  secondsLeft: number;
  onRetry(): void;
  onRemove(): void;
}

/** One file of the queue: name (never cut away by a long message), size, progress, state, and what to do next. */
export function UploadRow({ upload, pause, secondsLeft, onRetry, onRemove }: UploadRowProps) {
  const { t } = useI18n();
  const { state, name } = upload;
  const percent = state.kind === 'uploading' ? Math.round(state.progress * 100) : state.kind === 'done' ? 100 : 0;
  const stateText =
    state.kind === 'uploading'
      ? t('documents.queue.uploading', { percent })
      : state.kind === 'done'
        ? t('documents.uploaded')
        : state.kind === 'duplicate'
          ? t('documents.queue.duplicate')
          : state.kind === 'failed'
            ? t('documents.queue.failed')
            : pause
              ? t(pause.reason === 'limit' ? 'documents.queue.waitingLimit' : 'documents.queue.waitingNetwork', { seconds: secondsLeft })
              : t('documents.queue.waiting');
  const limited = state.kind === 'waiting' && pause !== undefined;
  return (
    <li className={`upload ${state.kind}${limited ? ' limited' : ''}`} data-state={limited ? 'limited' : state.kind}>
      <span className="upload-name" title={name}>
        {state.kind === 'done' ? <Link to={`/documents/${state.contentId}`}>{name}</Link> : name}
      </span>
      <span className="upload-size">{formatBytes(upload.size)}</span>
      {state.kind === 'waiting' || state.kind === 'uploading' || state.kind === 'done' ? (
        <progress max={1} value={percent / 100} aria-label={t('documents.uploading', { name, percent })} />
      ) : (
        <span />
      )}
      <span className="upload-state">
        {/* The name is beside it already; screen readers hear it with the state. */}
        <span className="visually-hidden">{name}: </span>
        {stateText}
      </span>
      <span className="upload-actions">
        {state.kind === 'failed' && (
          <button type="button" className="small" onClick={onRetry} aria-label={`${t('documents.queue.retry')}: ${name}`}>
            {t('documents.queue.retry')}
          </button>
        )}
        {(state.kind === 'failed' || state.kind === 'duplicate') && (
          <button type="button" className="small link" onClick={onRemove} aria-label={`${t('documents.queue.remove')}: ${name}`}>
            {t('documents.queue.remove')}
          </button>
        )}
      </span>
      {state.kind === 'failed' && (
        <p className="upload-reason" role="alert">
          {errorHeadline({ detail: state.detail, error_code: state.code }, t)}
        </p>
      )}
      {state.kind === 'duplicate' && (
        <p className="upload-reason">
          {t('documents.queue.duplicateDetail')} <Link to={`/documents/${state.existingId}`}>{t('documents.queue.openExisting')}</Link>
        </p>
      )}
    </li>
  );
}
