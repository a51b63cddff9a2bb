import { columnFilteringFeature, createColumnHelper, createFilteredRowModel, filterFn_equals, tableFeatures } from '@tanstack/react-table'
import type { Backup } from '../../../shared/backup-model'
import { formatBytes, formatDuration } from '../../lib/labels'
import { instantColumn, sortingFeatures } from '../tableColumns'
import { StatusBadge } from './StatusBadge'

/** Client-side sorting and filtering: the whole history (≤ 10,000 rows) is already in memory. */
export const historyFeatures = tableFeatures({
  ...sortingFeatures(),
  columnFilteringFeature,
  filteredRowModel: createFilteredRowModel(),
  filterFns: { equals: filterFn_equals },
})

const helper = createColumnHelper<typeof historyFeatures, Backup>()

/**
 * Module-level so the table's models stay cached between renders. "expand" and "actions" are
 * placeholders: the row renders them itself, because they need the page's callbacks.
 */
export const historyColumns = helper.columns([
  helper.display({ id: 'expand', header: () => <span className="visually-hidden">Details</span> }),
  helper.accessor('startedAt', { id: 'started', header: 'Started', ...instantColumn }),
  helper.accessor('profileName', { id: 'profile', header: 'Profile', sortFn: 'text', filterFn: 'equals' }),
  helper.accessor((b) => b.label ?? '', { id: 'label', header: 'Label', sortFn: 'text' }),
  helper.accessor('status', { id: 'status', header: 'Status', sortFn: 'text', filterFn: 'equals', cell: (c) => <StatusBadge status={c.getValue()} /> }),
  helper.accessor((b) => b.sizeBytes ?? undefined, {
    id: 'size',
    header: 'Size',
    sortFn: 'basic',
    sortDescFirst: true,
    sortUndefined: 'last',
    cell: (c) => formatBytes(c.getValue()),
  }),
  helper.accessor((b) => b.durationMs ?? undefined, {
    id: 'duration',
    header: 'Duration',
    sortFn: 'basic',
    sortDescFirst: true,
    sortUndefined: 'last',
    cell: (c) => formatDuration(c.getValue()),
  }),
  helper.accessor('fileName', { id: 'file', header: 'File', sortFn: 'text', cell: (c) => <span title={c.getValue()}>{c.getValue()}</span> }),
  helper.accessor((b) => b.error ?? '', { id: 'error', header: 'Error', enableSorting: false, cell: (c) => <span title={c.getValue()}>{c.getValue()}</span> }),
  helper.display({ id: 'actions', header: () => <span className="visually-hidden">Actions</span> }),
])

export type HistoryFeatures = typeof historyFeatures
