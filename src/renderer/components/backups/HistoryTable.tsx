import { useTable, type ColumnFiltersState, type SortingState } from '@tanstack/react-table'
import { useEffect, useMemo, useState } from 'react'
import { BACKUP_STATUSES, type Backup } from '../../../shared/backup-model'
import { HISTORY_LIMIT } from '../../hooks/useBackups'
import type { RowActions } from '../../hooks/useRowActions'
import { useVirtualRows } from '../../hooks/useVirtualRows'
import { BACKUP_STATUS_LABELS } from '../../lib/labels'
import { FilterSelect } from '../FilterSelect'
import { VirtualTable } from '../VirtualTable'
import { BackupDetails } from './BackupDetails'
import { historyColumns, historyFeatures } from './historyColumns'
import { HistoryRow } from './HistoryRow'

/** Fixed height (styles.css) so the virtualiser's estimate is exact for collapsed rows. */
const ROW_PX = 33

interface HistoryTableProps {
  backups: Backup[]
  actions: RowActions
  onDelete(backup: Backup): void
  onRestore(backup: Backup): void
  /** A backup to open and scroll to (from a notification click). */
  focusId?: string | undefined
}

type Panels = Record<string, { restore: boolean }>

/**
 * The history: sortable, filterable by profile and status, virtualised (only the rows in view, plus a
 * few, are in the DOM, so 10,000 rows scroll smoothly). A row expands in place to show its details,
 * verify and download outcomes, and the restore-by-hand commands.
 */
export function HistoryTable({ backups, actions, onDelete, onRestore, focusId }: HistoryTableProps) {
  const [sorting, setSorting] = useState<SortingState>([{ id: 'started', desc: true }])
  const [columnFilters, setColumnFilters] = useState<ColumnFiltersState>([])
  const [panels, setPanels] = useState<Panels>({})

  const table = useTable({
    features: historyFeatures,
    columns: historyColumns,
    data: backups,
    getRowId: (b) => b.id,
    state: { sorting, columnFilters },
    onSortingChange: setSorting,
    onColumnFiltersChange: setColumnFilters,
    enableSortingRemoval: false,
  })
  const rows = table.getRowModel().rows
  const { scrollRef, virtualizer, visible, height } = useVirtualRows(rows, { rowPx: ROW_PX, overscan: 8 })

  // Open the focused backup once it is in the list; `focused` keeps it from reopening after the user closes it.
  const [focused, setFocused] = useState<string | undefined>(undefined)
  const focusIndex = focusId && focusId !== focused ? rows.findIndex((r) => r.id === focusId) : -1
  if (focusId && focusIndex >= 0) {
    setFocused(focusId)
    setPanels((p) => ({ ...p, [focusId]: p[focusId] ?? { restore: false } }))
  }
  useEffect(() => {
    if (!focused) return
    const index = rows.findIndex((r) => r.id === focused)
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'center' })
    // Only when the focus changes, not on every row update.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focused])

  const profileNames = useMemo(() => [...new Set(backups.map((b) => b.profileName))].sort((a, b) => a.localeCompare(b)), [backups])
  const filterValue = (id: string) => (columnFilters.find((f) => f.id === id)?.value as string | undefined) ?? ''
  const setFilter = (id: string, value: string) => table.getColumn(id)?.setFilterValue(value || undefined)
  const togglePanel = (id: string, open?: { restore?: boolean }) =>
    setPanels((p) => {
      const current = p[id]
      if (open) return { ...p, [id]: { restore: open.restore ?? current?.restore ?? false } }
      const rest = { ...p }
      if (current) delete rest[id]
      else rest[id] = { restore: false }
      return rest
    })

  return (
    <div className="history">
      <div className="history-toolbar" role="search" aria-label="Filter the history">
        <FilterSelect id="history-profile" label="Profile" anyLabel="All profiles" values={profileNames} value={filterValue('profile')} onChange={(v) => setFilter('profile', v)} />
        <FilterSelect
          id="history-status"
          label="Status"
          anyLabel="All statuses"
          values={BACKUP_STATUSES}
          optionLabel={(s) => BACKUP_STATUS_LABELS[s]}
          value={filterValue('status')}
          onChange={(v) => setFilter('status', v)}
        />
        <span className="muted" data-testid="history-count" aria-live="polite">
          {rows.length === backups.length ? '' : `${rows.length} of `}
          {backups.length} {backups.length === 1 ? 'backup' : 'backups'}
        </span>
        {backups.length >= HISTORY_LIMIT && (
          <span className="muted" data-testid="history-limit">
            (the newest {HISTORY_LIMIT}; <code>lifeboat history</code> lists older ones)
          </span>
        )}
      </div>

      <VirtualTable
        name="history"
        label="Backup history"
        table={table}
        scrollRef={scrollRef}
        after={
          rows.length === 0 && (
            <p className="empty history-empty" data-testid="history-empty">
              {backups.length === 0 ? 'No backups yet.' : 'No backup matches these filters.'}
            </p>
          )
        }
      >
        <div role="rowgroup" className="history-body" style={{ height }}>
          {visible.map(({ row, index, style }) => {
            const backup = row.original
            const panel = panels[backup.id]
            return (
              <div key={row.id} className="history-item" data-index={index} ref={virtualizer.measureElement} style={style}>
                <HistoryRow
                  row={row}
                  rowIndex={index + 2}
                  expanded={panel !== undefined}
                  onToggle={() => togglePanel(backup.id)}
                  onVerify={() => {
                    togglePanel(backup.id, {})
                    actions.runVerify(backup.id)
                  }}
                  onExport={() => {
                    togglePanel(backup.id, {})
                    actions.runExport(backup.id)
                  }}
                  onRestore={() => togglePanel(backup.id, { restore: !(panel?.restore ?? false) })}
                  onRestoreInto={() => onRestore(backup)}
                  onDelete={() => onDelete(backup)}
                  verifying={actions.verify[backup.id]?.status === 'running'}
                  exporting={actions.exports[backup.id]?.status === 'running'}
                />
                {panel && <BackupDetails backup={backup} verify={actions.verify[backup.id]} exported={actions.exports[backup.id]} showRestore={panel.restore} />}
              </div>
            )
          })}
        </div>
      </VirtualTable>
    </div>
  )
}
