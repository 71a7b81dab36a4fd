import type { HTMLAttributes, ReactNode } from 'react';

/** What a row's `<tr>` gets besides its cells: a class, `data-*` attributes for styles and tests. */
export type RowProps = HTMLAttributes<HTMLTableRowElement> & { [data: `data-${string}`]: string | undefined };

export interface Column<Row> {
  /** The heading, and each cell's `data-label`: on a phone the table becomes one card per row, each cell labelled. */
  label: string;
  /** An actions column: its heading is for screen readers only and its cells carry no label. */
  actions?: boolean;
  headerClassName?: string;
  className?: string;
  cell(row: Row): ReactNode;
}

/**
 * The dashboard's list table (`table stack`: cards on a phone), one row per item.
 * @example <DataTable rows={keys} rowKey={(k) => k.id} columns={[{ label: t('apiKeys.model'), cell: (k) => k.model }]} />
 */
export function DataTable<Row>({ columns, rows, rowKey, rowProps, className }: { columns: Array<Column<Row> | false>; rows: Row[]; rowKey(row: Row): string; rowProps?(row: Row): RowProps; className?: string }) {
  const shown = columns.filter((column): column is Column<Row> => column !== false);
  return (
    <div className="table-wrap">
      <table className={className ? `table stack ${className}` : 'table stack'}>
        <thead>
          <tr>
            {shown.map((column) => (
              <th key={column.label} scope="col" className={column.headerClassName}>
                {column.actions ? <span className="visually-hidden">{column.label}</span> : column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} {...rowProps?.(row)}>
              {shown.map((column) => (
                <td key={column.label} className={column.className} data-label={column.actions ? undefined : column.label}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
