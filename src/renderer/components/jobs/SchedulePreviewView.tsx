import type { SchedulePreview } from '../../../shared/job-model'
import { formatInZone } from './time'
import { localTimeZone } from '../../lib/job-draft'

type OkPreview = Extract<SchedulePreview, { ok: true }>

/**
 * "Every 15 minutes, between 09:00 and 17:59, Monday through Friday" and the next five runs, as the
 * job's zone reads them and, when that is another zone, as this machine's clock reads them.
 */
export function SchedulePreviewView({ preview, timeZone, stale }: { preview: OkPreview; timeZone: string; stale: boolean }) {
  const local = localTimeZone()
  const sameZone = local === timeZone
  return (
    <div className={stale ? 'schedule-preview stale' : 'schedule-preview'} data-testid="schedule-preview" aria-busy={stale}>
      <p className="preview-description" data-testid="schedule-description">
        {preview.description}
      </p>
      {preview.nextRuns.length === 0 ? (
        <p className="muted">No upcoming run.</p>
      ) : (
        <table className="next-runs" aria-label="Next runs">
          <thead>
            <tr>
              <th scope="col">Next runs ({timeZone})</th>
              {!sameZone && <th scope="col">This machine ({local})</th>}
            </tr>
          </thead>
          <tbody>
            {preview.nextRuns.map((iso) => (
              <tr key={iso} data-testid="next-run">
                <td>
                  <time dateTime={iso}>{formatInZone(iso, timeZone)}</time>
                </td>
                {!sameZone && <td className="muted">{formatInZone(iso, local)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
