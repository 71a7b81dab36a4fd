import { useEffect, useId, useRef, useState, useSyncExternalStore, type DragEvent } from 'react';
import { useSession } from '../../auth/session.js';
import { useI18n } from '../../i18n/i18n.js';
import { sendContent } from './documents-api.js';
import { isPending, uploadQueueFor, type QueuedUpload } from './upload-queue.js';
import { UploadRow } from './upload-row.js';
import { fileTypeExtensions } from '../../../../src/db/enums.js';

/** What the file picker offers: every name the server accepts (it checks the content too). */
const ACCEPTED_EXTENSIONS = Object.values(fileTypeExtensions).flat().map((extension) => `.${extension}`).join(',');

/** Drag-and-drop or pick many files: they join the upload queue (upload-queue.ts), shown here row by row. */
export function UploadPanel({ onUploaded }: { onUploaded(): void }) {
  const { t } = useI18n();
  const { user } = useSession();
  const queue = uploadQueueFor(`${user?.tenant_id}:${user?.id}`, sendContent);
  const { uploads, pause, unsaved } = useSyncExternalStore(queue.subscribe, queue.getSnapshot);
  const [dragging, setDragging] = useState(false);
  const inputId = useId();
  const secondsLeft = useCountdown(pause?.until);

  // The queue outlives the page: only files finished since this page opened reload its list.
  const done = uploads.filter((u) => u.state.kind === 'done').length;
  const doneSeen = useRef(done);
  useEffect(() => {
    if (done > doneSeen.current) onUploaded();
    doneSeen.current = done;
  }, [done, onUploaded]);

  // Files IndexedDB could not keep are lost on a reload: let the browser ask first.
  useEffect(() => {
    if (unsaved === 0) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [unsaved]);

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    queue.add(event.dataTransfer.files);
  };

  const pending = uploads.filter((u) => isPending(u.state)).length;
  const failed = uploads.filter((u) => u.state.kind === 'failed').length;
  const resumed = uploads.filter((u) => u.resumed && isPending(u.state)).length;
  const finished = uploads.length - pending - failed;

  return (
    <section className="card" aria-labelledby="upload-title">
      <h2 id="upload-title">{t('documents.upload')}</h2>
      <div
        className={dragging ? 'dropzone dragging' : 'dropzone'}
        data-testid="dropzone"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>
          {t('documents.dropzone')}{' '}
          <label htmlFor={inputId} className="file-button">
            {t('documents.choose')}
          </label>
          <input
            id={inputId}
            className="visually-hidden-file"
            type="file"
            multiple
            accept={ACCEPTED_EXTENSIONS}
            onChange={(event) => {
              if (event.target.files) queue.add(event.target.files);
              event.target.value = '';
            }}
          />
        </p>
        <p className="muted">{t('documents.dropHint')}</p>
      </div>
      {uploads.length > 0 && (
        <>
          <div className="queue-head">
            <p role="status" data-testid="queue-summary">
              {t('documents.queue.summary', { done, total: uploads.length })}
              {failed > 0 && ` · ${t('documents.queue.failedCount', { count: failed })}`}
            </p>
            {finished > 0 && (
              <button type="button" className="small" onClick={queue.clearFinished}>
                {t('documents.queue.clearFinished')}
              </button>
            )}
          </div>
          {pause && pending > 0 && (
            <p className="notice warn queue-notice" data-testid="queue-pause">
              {t(pause.reason === 'limit' ? 'documents.queue.limitNotice' : 'documents.queue.networkNotice', { seconds: secondsLeft })}
            </p>
          )}
          {resumed > 0 && <p className="notice queue-notice">{t('documents.queue.resumedNotice', { count: resumed })}</p>}
          {failed > 0 && <p className="notice warn queue-notice">{t('documents.queue.notSentNotice', { count: failed })}</p>}
          {unsaved > 0 && <p className="notice warn queue-notice">{t('documents.queue.unsavedNotice', { count: unsaved })}</p>}
          <ul className="uploads" aria-label={t('documents.uploadsLabel')}>
            {needingAttentionFirst(uploads).map((upload) => (
              <UploadRow
                key={upload.id}
                upload={upload}
                pause={pause}
                secondsLeft={secondsLeft}
                onRetry={() => queue.retry(upload.id)}
                onRemove={() => queue.remove(upload.id)}
              />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** Refused and duplicate files on top, where they are seen without scrolling the list; the rest in queue order. */
function needingAttentionFirst(uploads: QueuedUpload[]): QueuedUpload[] {
  const attention = (u: QueuedUpload) => u.state.kind === 'failed' || u.state.kind === 'duplicate';
  return [...uploads.filter(attention), ...uploads.filter((u) => !attention(u))];
}

/** Whole seconds until `until`, ticking while there is one. */
function useCountdown(until: number | undefined): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (until === undefined) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [until]);
  return until === undefined ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}
