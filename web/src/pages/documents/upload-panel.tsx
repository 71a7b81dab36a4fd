import { useId, useRef, useState, type DragEvent } from 'react';
import { toErrorBody } from '../../api/client.js';
import { useI18n } from '../../i18n/i18n.js';
import { uploadContent } from './documents-api.js';

interface Upload {
  key: number;
  name: string;
  progress: number;
  state: 'queued' | 'uploading' | 'done' | 'failed';
  detail?: string;
}

let nextKey = 0;

/** Drag-and-drop or pick several files; each uploads with its own progress bar, one after another. */
export function UploadPanel({ onUploaded }: { onUploaded(): void }) {
  const { t } = useI18n();
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [dragging, setDragging] = useState(false);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const inputId = useId();

  const update = (key: number, change: Partial<Upload>) => setUploads((list) => list.map((u) => (u.key === key ? { ...u, ...change } : u)));

  function add(files: FileList | File[]) {
    const added = [...files].map((file) => ({ file, upload: { key: nextKey++, name: file.name, progress: 0, state: 'queued' as const } }));
    if (added.length === 0) return;
    setUploads((list) => [...added.map((a) => a.upload), ...list].slice(0, 50));
    for (const { file, upload } of added) {
      queue.current = queue.current.then(async () => {
        update(upload.key, { state: 'uploading' });
        try {
          await uploadContent(file, (fraction) => update(upload.key, { progress: fraction }));
          update(upload.key, { state: 'done', progress: 1 });
          onUploaded();
        } catch (error) {
          update(upload.key, { state: 'failed', detail: toErrorBody(error).detail });
        }
      });
    }
  }

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    add(event.dataTransfer.files);
  };

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
            accept=".pdf,.txt,.docx,application/pdf,text/plain,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            onChange={(event) => {
              if (event.target.files) add(event.target.files);
              event.target.value = '';
            }}
          />
        </p>
        <p className="muted">{t('documents.dropHint')}</p>
      </div>
      {uploads.length > 0 && (
        <ul className="uploads" aria-label={t('documents.uploadsLabel')}>
          {uploads.map((u) => (
            <li key={u.key} className={`upload ${u.state}`}>
              <span className="upload-name">{u.name}</span>
              <progress max={1} value={u.progress} aria-label={t('documents.uploading', { name: u.name, percent: Math.round(u.progress * 100) })} />
              {/* The name is beside it already; screen readers hear it with the status. */}
              <span role={u.state === 'failed' ? 'alert' : 'status'}>
                <span className="visually-hidden">{u.name}: </span>
                {u.state === 'done' ? t('documents.uploaded') : u.state === 'failed' ? (u.detail ?? '') : `${Math.round(u.progress * 100)}%`}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
