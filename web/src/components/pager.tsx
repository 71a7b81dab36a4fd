import { useI18n } from '../i18n/i18n.js';

const PAGE_SIZES = [10, 25, 50, 100];

interface Paging {
  skip: number;
  limit: number;
}

/** Previous / next and page size over skip + limit, with the total from X-Total-Count. */
export function Pager<F extends Paging>({ filters, total, onChange }: { filters: F; total: number; onChange(next: (f: F) => F): void }) {
  const { t } = useI18n();
  const { skip, limit } = filters;
  return (
    <nav className="pager" aria-label={t('common.paging')}>
      <span>
        {t('common.showing', { from: total === 0 ? 0 : skip + 1, to: Math.min(skip + limit, total) })} / {total}
      </span>
      <button type="button" className="small" disabled={skip === 0} onClick={() => onChange((f) => ({ ...f, skip: Math.max(0, f.skip - f.limit) }))}>
        {t('common.previous')}
      </button>
      <button type="button" className="small" disabled={skip + limit >= total} onClick={() => onChange((f) => ({ ...f, skip: f.skip + f.limit }))}>
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
