import { FlexRender, useTable, type Row, type SortingState } from '@tanstack/react-table'
import { useState, type CSSProperties } from 'react'
import type { ActivityEntryView } from '../../../shared/activity-model'
import { useVirtualRows } from '../../hooks/useVirtualRows'
import { VirtualTable } from '../VirtualTable'
import { activityColumns, activityFeatures, type ActivityFeatures } from './activityColumns'

/** Fixed height (styles.css) so the virtualiser's estimate is exact. */
const ROW_PX = 29
/** Below this the rows are simply all in the DOM; above it only the visible ones (plus a few). */
export const VIRTUALIZE_AFTER = 200

function ActivityRow({ row, rowIndex, style }: { row: Row<ActivityFeatures, ActivityEntryView>; rowIndex: number; style?: CSSProperties }) {
  const e = row.original
  return (
    <div role="row" className="activity-row" aria-rowindex={rowIndex} style={style} data-testid="activity-row" data-origin={e.origin} data-action={e.action} data-outcome={e.outcome}>
      {row.getAllCells().map((cell) => (
        <div role="cell" key={cell.id} className={`col-${cell.column.id}`}>
          <FlexRender cell={cell} />
        </div>
      ))}
    </div>
  )
}

/** The activity log as a sortable table; virtualised past 200 rows, like the backup history. */
export function ActivityTable({ entries }: { entries: ActivityEntryView[] }) {
  const [sorting, setSorting] = useState<SortingState>([{ id: 'time', desc: true }])
  const table = useTable({
    features: activityFeatures,
    columns: activityColumns,
    data: entries,
    getRowId: (e) => String(e.id),
    state: { sorting },
    onSortingChange: setSorting,
    enableSortingRemoval: false,
  })
  const rows = table.getRowModel().rows
  const virtual = rows.length > VIRTUALIZE_AFTER
  const { scrollRef, visible, height } = useVirtualRows(rows, { rowPx: ROW_PX, overscan: 10, enabled: virtual })

  return (
    <VirtualTable name="activity" label="Activity log" table={table} scrollRef={scrollRef}>
      {virtual ? (
        <div role="rowgroup" className="activity-body virtual" style={{ height }}>
          {visible.map(({ row, index, style }) => (
            <ActivityRow key={row.id} row={row} rowIndex={index + 2} style={style} />
          ))}
        </div>
      ) : (
        <div role="rowgroup" className="activity-body">
          {rows.map((row, i) => (
            <ActivityRow key={row.id} row={row} rowIndex={i + 2} />
          ))}
        </div>
      )}
    </VirtualTable>
  )
}
