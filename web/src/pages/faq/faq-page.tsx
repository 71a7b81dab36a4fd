import { useCallback, useState, type FormEvent } from 'react';
import { listFaqQuerySchema } from '../../../../src/modules/sources/faq/faq.schemas.js';
import { useLoad } from '../../api/use-api.js';
import { useSession } from '../../auth/session.js';
import { DataTable } from '../../components/data-table.js';
import { useConfirmDelete, ErrorMessage, StatusMessage } from '../../components/feedback.js';
import { validate } from '../../components/form.js';
import { Pager } from '../../components/pager.js';
import { usePageTitle } from '../../components/shell.js';
import { formatDateTime } from '../../format.js';
import { useI18n } from '../../i18n/i18n.js';
import type { Said } from '../../i18n/said.js';
import { deleteFaq, EXPORT_URL, listFaq, type FaqEntry, type FaqFilters } from './faq-api.js';
import { FaqDialog } from './faq-dialog.js';
import { FaqImport } from './faq-import.js';

/** FAQ entries: list with search and paging; ADMINs add, edit, delete, import and export CSV. */
export function FaqPage() {
  const { t, language } = useI18n();
  const { user } = useSession();
  const isAdmin = user?.role === 'ADMIN';
  usePageTitle(t('faq.title'));
  const [filters, setFilters] = useState<FaqFilters>({ skip: 0, limit: 25 });
  const [search, setSearch] = useState('');
  const [searchError, setSearchError] = useState<string>();
  const [editing, setEditing] = useState<{ entry?: FaqEntry }>();
  const [message, setMessage] = useState<Said>();
  const [actionError, setActionError] = useState<unknown>();
  const confirmDelete = useConfirmDelete<FaqEntry>({ title: t('faq.deleteTitle'), body: (entry) => t('faq.deleteBody', { question: entry.question }), onConfirm: (entry) => void remove(entry) });

  const list = useLoad(['faq', filters], (signal) => listFaq(filters, signal));
  const { reload: reloadList } = list;
  const reload = useCallback(() => void reloadList(), [reloadList]);
  const page = list.data;

  function applySearch(event: FormEvent) {
    event.preventDefault();
    const parsed = validate(listFaqQuerySchema, { ...filters, search });
    if (!parsed.ok) return setSearchError(parsed.errors.search);
    setSearchError(undefined);
    setFilters((f) => ({ ...f, search: search.trim() || undefined, skip: 0 }));
  }

  async function remove(entry: FaqEntry) {
    setActionError(undefined);
    try {
      await deleteFaq(entry.id);
      setMessage(['faq.deleted', { question: entry.question }]);
      reload();
    } catch (caught) {
      setActionError(caught);
    }
  }

  return (
    <>
      <h1>{t('faq.title')}</h1>
      <p className="muted">{t('faq.intro')}</p>
      <section className="card" aria-labelledby="faq-list-title">
        <h2 id="faq-list-title" className="visually-hidden">
          {t('faq.title')}
        </h2>
        <div className="faq-toolbar">
          <form className="filters" role="search" onSubmit={applySearch}>
            <label>
              <span>{t('faq.search')}</span>
              <input type="search" name="search" value={search} onChange={(e) => setSearch(e.target.value)} aria-invalid={searchError ? true : undefined} />
            </label>
            <button type="submit">{t('common.search')}</button>
          </form>
          <div className="row-actions">
            {isAdmin && (
              <button type="button" className="primary" onClick={() => setEditing({})}>
                {t('faq.add')}
              </button>
            )}
            <a className="button" href={EXPORT_URL} download="faq.csv">
              {t('faq.export')}
            </a>
          </div>
        </div>
        {isAdmin && (
          <FaqImport
            onImported={() => {
              setMessage(undefined);
              setFilters((f) => ({ ...f, skip: 0 }));
              reload();
            }}
          />
        )}
        {searchError && (
          <p className="field-error" role="alert">
            {t('faq.search')}: {searchError}
          </p>
        )}
        {message && <StatusMessage>{t(...message)}</StatusMessage>}
        <ErrorMessage error={list.error ?? actionError} onRetry={reload} />
        {page && page.items.length === 0 && <p className="empty">{filters.search ? t('faq.noMatch') : t('faq.empty')}</p>}
        {page && page.items.length > 0 && (
          <DataTable
            className="faq-table"
            rows={page.items}
            rowKey={(entry) => entry.id}
            columns={[
              {
                label: t('faq.question'),
                cell: (entry) => (
                  <>
                    <strong>{entry.question}</strong>
                    {entry.alternatives.length > 0 && <div className="muted">{t('faq.alsoAsked', { phrasings: entry.alternatives.join(' / ') })}</div>}
                  </>
                ),
              },
              { label: t('faq.answer'), className: 'faq-answer', cell: (entry) => entry.answer },
              { label: t('faq.updated'), className: 'nowrap', cell: (entry) => formatDateTime(entry.updated_at, language) },
              isAdmin && {
                label: t('settings.actions'),
                className: 'nowrap',
                cell: (entry) => (
                  <div className="row-actions">
                    <button type="button" className="small" onClick={() => setEditing({ entry })} aria-label={`${t('faq.edit')}: ${entry.question}`}>
                      {t('faq.edit')}
                    </button>
                    <button type="button" className="small danger-outline" onClick={() => confirmDelete.ask(entry)} aria-label={`${t('common.delete')}: ${entry.question}`}>
                      {t('common.delete')}
                    </button>
                  </div>
                ),
              },
            ]}
          />
        )}
        {page && page.total > 0 && <Pager filters={filters} total={page.total} onChange={(next) => setFilters(next)} />}
      </section>
      <FaqDialog
        open={editing !== undefined}
        entry={editing?.entry}
        onClose={() => setEditing(undefined)}
        onSaved={(entry) => {
          setMessage([editing?.entry ? 'faq.saved' : 'faq.added', { question: entry.question }]);
          setEditing(undefined);
          reload();
        }}
      />
      {confirmDelete.dialog}
    </>
  );
}
