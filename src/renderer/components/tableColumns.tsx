import { createSortedRowModel, rowSortingFeature, sortFn_basic, sortFn_text } from '@tanstack/react-table'
import { formatTimestamp } from '../lib/labels'

/** Sorting as the tables use it: 'basic' for numbers and ISO-8601 instants, 'text' for names. */
export function sortingFeatures() {
  return { rowSortingFeature, sortedRowModel: createSortedRowModel(), sortFns: { basic: sortFn_basic, text: sortFn_text } }
}

/** A column of ISO-8601 UTC instants: they sort as strings like the instants they name, newest first, shown in local time. */
export const instantColumn = {
  sortFn: 'basic',
  sortDescFirst: true,
  cell: (c: { getValue(): string }) => (
    <time dateTime={c.getValue()} title={c.getValue()}>
      {formatTimestamp(c.getValue())}
    </time>
  ),
} as const
