import { FlexRender, type Header, type ReactTable, type RowData, type TableFeatures } from '@tanstack/react-table'
import { column_getCanSort, column_getIsSorted, column_getToggleSortingHandler } from '@tanstack/react-table/static-functions'
import type { ReactNode, RefObject } from 'react'

function SortableHeader<TFeatures extends TableFeatures, TData extends RowData>({ header }: { header: Header<TFeatures, TData> }) {
  const sorted = column_getIsSorted(header.column)
  const label = <FlexRender header={header} />
  return (
    <div role="columnheader" className={`col-${header.id}`} aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}>
      {column_getCanSort(header.column) ? (
        <button type="button" className="sort" onClick={column_getToggleSortingHandler(header.column)} data-testid={`sort-${header.id}`}>
          {label}
          <span className="sort-mark" aria-hidden="true">
            {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
          </span>
        </button>
      ) : (
        label
      )}
    </div>
  )
}

interface VirtualTableProps<TFeatures extends TableFeatures, TData extends RowData> {
  /** Names the classes (<name>-scroll, -table, -head, -row) and the scroll box's test id. */
  name: string
  label: string
  table: ReactTable<TFeatures, TData>
  /** From useVirtualRows: the box the rows scroll in. */
  scrollRef: RefObject<HTMLDivElement | null>
  /** The body: one rowgroup, its rows numbered (aria-rowindex) from 2. */
  children: ReactNode
  /** Shown in the scroll box below the table, e.g. why it is empty. */
  after?: ReactNode
}

/** A div-based ARIA table in a scroll box, with a sticky header whose sortable columns are buttons. */
export function VirtualTable<TFeatures extends TableFeatures, TData extends RowData>({ name, label, table, scrollRef, children, after }: VirtualTableProps<TFeatures, TData>) {
  return (
    <div className={`${name}-scroll`} ref={scrollRef} data-testid={`${name}-scroll`}>
      <div role="table" aria-label={label} aria-rowcount={table.getRowModel().rows.length + 1} className={`${name}-table`}>
        <div role="rowgroup" className={`${name}-head`}>
          {table.getHeaderGroups().map((group) => (
            <div role="row" className={`${name}-row`} key={group.id} aria-rowindex={1}>
              {group.headers.map((header) => (
                <SortableHeader key={header.id} header={header} />
              ))}
            </div>
          ))}
        </div>
        {children}
      </div>
      {after}
    </div>
  )
}
