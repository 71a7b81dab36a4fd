import { useI18n } from '../i18n/i18n.js';

const PAGE_SIZES = [10, 25, 50, 100];

interface Paging {
  skip: number;
  limit: number;
}

/**
 * Previous / next and page size over skip + limit. `total` comes from X-Total-Count where the API
 * sends it; otherwise `shown` (this page's row count) tells whether a next page may exist.
 */
export function Pager<F extends Paging>({ filters, total, shown, onChange }: { filters: F; total?: number; shown?: number; onChange(next: (f: F) => F): void }) {
  const { t } = useI18n();
  const { skip, limit } = filters;
  const count = total ?? skip + (shown ?? 0);
  const hasNext = total !== undefined ? skip + limit < total : (shown ?? 0) >= limit;
  return (
    <nav className="pager" aria-label={t('common.paging')}>
      <span>
        {t('common.showing', { from: count === skip ? 0 : skip + 1, to: Math.min(skip + limit, count) })}
        {total !== undefined && ` / ${total}`}
      </span>
      <button type="button" className="small" disabled={skip === 0} onClick={() => onChange((f) => ({ ...f, skip: Math.max(0, f.skip - f.limit) }))}>
        {t('common.previous')}
      </button>
      <button type="button" className="small" disabled={!hasNext} onClick={() => onChange((f) => ({ ...f, skip: f.skip + f.limit }))}>
        {t('common.next')}
      </button>
      <label>
        <span>{t('documents.pageSize')}</span>
        <select value={limit} onChange={(e) => onChange((f) => ({ ...f, limit: Number(e.target.value), skip: 0 }))}>
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </label>
    </nav>
  );
}
