import { FlexRender, type Row } from '@tanstack/react-table'
import type { Backup } from '../../../shared/backup-model'
import type { HistoryFeatures } from './historyColumns'

interface HistoryRowProps {
  row: Row<HistoryFeatures, Backup>
  /** aria-rowindex: 1 is the header row. */
  rowIndex: number
  expanded: boolean
  verifying: boolean
  exporting: boolean
  onToggle(): void
  onVerify(): void
  onExport(): void
  onRestore(): void
  /** Opens the restore dialog (target, plan, typed confirmation). */
  onRestoreInto(): void
  onDelete(): void
}

/** One history row. Verify, download and restore need a stored file, so only successful rows offer them. */
export function HistoryRow({ row, rowIndex, expanded, verifying, exporting, onToggle, onVerify, onExport, onRestore, onRestoreInto, onDelete }: HistoryRowProps) {
  const b = row.original
  const hasFile = b.status === 'success'
  return (
    <div role="row" className="history-row" aria-rowindex={rowIndex} data-testid={`backup-row-${b.id}`} data-status={b.status} data-file={b.fileName}>
      {row.getAllCells().map((cell) => {
        const id = cell.column.id
        if (id === 'expand') {
          return (
            <div role="cell" key={cell.id} className="col-expand">
              <button type="button" className="expander" aria-expanded={expanded} aria-label={`Details of ${b.fileName}`} onClick={onToggle}>
                {expanded ? '▾' : '▸'}
              </button>
            </div>
          )
        }
        if (id === 'actions') {
          return (
            <div role="cell" key={cell.id} className="col-actions row-actions">
              <button type="button" aria-label={`Verify ${b.fileName}`} onClick={onVerify} disabled={!hasFile || verifying}>
                Verify
              </button>
              <button type="button" aria-label={`Download ${b.fileName}`} onClick={onExport} disabled={!hasFile || exporting}>
                Download
              </button>
              <button type="button" aria-label={`Restore ${b.fileName} by hand`} title="Restore by hand: the stock commands for this file" onClick={onRestore} disabled={!hasFile}>
                By hand
              </button>
              <button type="button" aria-label={`Restore ${b.fileName}`} title="Restore into a profile: plan, typed confirmation, progress" onClick={onRestoreInto} disabled={!hasFile}>
                Restore…
              </button>
              <button type="button" className="danger-link" aria-label={`Delete ${b.fileName}`} onClick={onDelete} disabled={b.status === 'running'}>
                Delete
              </button>
            </div>
          )
        }
        return (
          <div role="cell" key={cell.id} className={`col-${id}`}>
            <FlexRender cell={cell} />
          </div>
        )
      })}
    </div>
  )
}
