import { createColumnHelper, tableFeatures } from '@tanstack/react-table'
import { Fragment } from 'react'
import type { ActivityEntryView } from '../../../shared/activity-model'
import { instantColumn, sortingFeatures } from '../tableColumns'
import { detailLine, detailParts } from './detailText'

/** Filtering happens in main (the log can be long); sorting the page's rows happens here. */
export const activityFeatures = tableFeatures(sortingFeatures())

const helper = createColumnHelper<typeof activityFeatures, ActivityEntryView>()

function Detail({ entry }: { entry: ActivityEntryView }) {
  const parts = detailParts(entry.detail)
  if (parts.length === 0) return <span className="muted">—</span>
  return (
    <span title={detailLine(entry.detail)}>
      {parts.map((p, i) => (
        <Fragment key={p.key}>
          {i > 0 && <span className="detail-sep"> · </span>}
          <span className={p.problem ? 'detail-part detail-problem' : 'detail-part'}>
            <span className="detail-key">{p.key}:</span> {p.href ? <a href={p.href}>{p.text}</a> : p.text}
          </span>
        </Fragment>
      ))}
    </span>
  )
}

/** Module-level so the table's models stay cached between renders. */
export const activityColumns = helper.columns([
  helper.accessor('at', { id: 'time', header: 'Time', ...instantColumn }),
  helper.accessor('origin', { id: 'origin', header: 'Origin', sortFn: 'text', cell: (c) => <span className={`origin origin-${c.getValue()}`}>{c.getValue()}</span> }),
  helper.accessor('action', { id: 'action', header: 'Action', sortFn: 'text', cell: (c) => <span className="mono">{c.getValue()}</span> }),
  helper.accessor('subject', { id: 'subject', header: 'Subject', sortFn: 'text', cell: (c) => <span title={c.getValue()}>{c.getValue()}</span> }),
  helper.accessor('outcome', {
    id: 'outcome',
    header: 'Outcome',
    sortFn: 'text',
    cell: (c) => <span className={`status ${c.getValue() === 'ok' ? 'status-success' : 'status-failed'}`}>{c.getValue()}</span>,
  }),
  helper.display({ id: 'detail', header: 'Detail', cell: (c) => <Detail entry={c.row.original} /> }),
])

export type ActivityFeatures = typeof activityFeatures
