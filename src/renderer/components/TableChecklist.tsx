import { useEffect, useMemo, useState } from 'react'
import type { TableInfo } from '../../shared/backup-model'
import type { Result } from '../../shared/contract'
import { ErrorLine } from './ErrorLine'

/** Rendering thousands of checkboxes is slow and useless: past this, ask for a narrower filter. */
const MAX_SHOWN = 500

export interface TableChecklistProps {
  /** Where the tables come from; reloaded when `sourceKey` changes. */
  sourceKey: string
  load: () => Promise<Result<TableInfo[]>>
  /** Prefix of element ids ("<idPrefix>-filter"), unique on the page. */
  idPrefix: string
  testId: string
  listLabel: string
  loadingText: string
  selected: string[]
  onChange(tables: string[]): void
  disabled?: boolean
  error?: string | undefined
}

/** Tables as a filterable checkbox list: the live database's for a backup, the backup's for a restore. */
export function TableChecklist({ sourceKey, load, idPrefix, testId, listLabel, loadingText, selected, onChange, disabled = false, error }: TableChecklistProps) {
  const [tables, setTables] = useState<Result<TableInfo[]> | null>(null)
  const [filter, setFilter] = useState('')
  useEffect(() => {
    let live = true
    void load().then((r) => {
      if (live) setTables(r)
    })
    return () => {
      live = false
    }
    // `load` is a new closure on every render; the source it reads is identified by sourceKey.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sourceKey])

  const shown = useMemo(() => {
    if (!tables?.ok) return []
    const f = filter.trim().toLowerCase()
    return f ? tables.value.filter((t) => t.name.toLowerCase().includes(f)) : tables.value
  }, [tables, filter])
  const chosen = new Set(selected)
  const toggle = (name: string, on: boolean) => onChange(on ? [...selected, name] : selected.filter((n) => n !== name))
  const filterId = `${idPrefix}-filter`

  if (tables === null) return <p className="muted" role="status">{loadingText}</p>
  if (!tables.ok) return <ErrorLine error={tables.error} />
  return (
    <div className="table-picker" data-testid={testId}>
      <div className="table-picker-bar">
        <label htmlFor={filterId} className="visually-hidden">
          Filter tables
        </label>
        <input id={filterId} type="search" placeholder="Filter tables" value={filter} onChange={(e) => setFilter(e.target.value)} disabled={disabled} />
        <button type="button" onClick={() => onChange([...new Set([...selected, ...shown.map((t) => t.name)])])} disabled={disabled}>
          Select shown
        </button>
        <button type="button" onClick={() => onChange([])} disabled={disabled}>
          Clear
        </button>
        <span className="muted">
          {selected.length} of {tables.value.length} selected
        </span>
      </div>
      <ul className="table-list" aria-label={listLabel}>
        {shown.slice(0, MAX_SHOWN).map((t) => (
          <li key={t.name}>
            <label className="checkbox">
              <input type="checkbox" checked={chosen.has(t.name)} onChange={(e) => toggle(t.name, e.target.checked)} disabled={disabled} />
              <span className="mono">{t.name}</span>
              {t.rows !== null && <span className="muted">~{t.rows.toLocaleString()} rows</span>}
            </label>
          </li>
        ))}
      </ul>
      {shown.length > MAX_SHOWN && <p className="hint">{shown.length - MAX_SHOWN} more: narrow the filter.</p>}
      {shown.length === 0 && <p className="hint">No table matches.</p>}
      {error && (
        <p className="field-error" data-testid="error-tables">
          {error}
        </p>
      )}
    </div>
  )
}
