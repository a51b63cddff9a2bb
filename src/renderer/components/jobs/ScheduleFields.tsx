import { WEEKDAYS, type Schedule, type Weekday } from '../../../shared/job-model'
import { useSchedulePreview, type PreviewAnswer } from '../../hooks/useSchedulePreview'
import { draftSchedule, fieldOfPath, type DraftUpdate, type ErrorOf, type JobDraft, type JobField } from '../../lib/job-draft'
import { ERROR_LABELS } from '../../lib/labels'
import { describedBy, Field } from '../Field'
import { Options } from '../Options'
import { SchedulePreviewView } from './SchedulePreviewView'
import { knownTimeZones } from './time'

const KIND_LABELS: Record<Schedule['kind'], string> = { daily: 'Daily', weekly: 'Weekly', monthly: 'Monthly', cron: 'Cron expression' }
const WEEKDAY_LABELS: Record<Weekday, string> = { sun: 'Sunday', mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday' }
const MONTH_DAYS = [...Array.from({ length: 28 }, (_, i) => String(i + 1)), 'last']
const CRON_HINT = 'minute hour day month weekday (a sixth field first = seconds), e.g. 30 2 * * 1-5'

/** Where the preview's complaint belongs: cron problems next to the expression, the rest under the preview. */
function previewErrors(answer: PreviewAnswer | null, kind: Schedule['kind']): { field: JobField; message: string } | null {
  // An answer about another kind of schedule (the user just switched) says nothing about this one.
  if (!answer || answer.schedule.kind !== kind) return null
  const { result } = answer
  if (result.ok) return result.value.ok ? null : { field: kind === 'cron' ? 'cron' : 'schedule', message: result.value.error }
  const field = fieldOfPath(result.error.field ?? '', kind)
  const path = result.error.field ?? ''
  const message = path && result.error.message.startsWith(`${path}: `) ? result.error.message.slice(path.length + 2) : result.error.message
  return { field: field === '_' ? 'schedule' : field, message: field === '_' ? `${ERROR_LABELS[result.error.code]}: ${message}` : message }
}

interface ScheduleFieldsProps {
  draft: JobDraft
  errorOf: ErrorOf
  update: DraftUpdate
}

/** When the job runs, in which zone, and — as you type — what that means in words and the next five runs. */
export function ScheduleFields({ draft, errorOf, update }: ScheduleFieldsProps) {
  const kind = draft.scheduleKind
  // An empty expression is not wrong yet, just unfinished: no request, no red.
  const schedule = kind === 'cron' && draft.cron.trim() === '' ? null : draftSchedule(draft)
  const answer = useSchedulePreview(schedule, draft.timeZone.trim())
  const live = previewErrors(answer, kind)
  const show = (field: JobField) => (live?.field === field ? live.message : undefined) ?? errorOf(field)
  const cronError = kind === 'cron' ? show('cron') : undefined
  const preview = answer?.result.ok && answer.result.value.ok && answer.schedule.kind === kind ? answer.result.value : null

  return (
    <fieldset className="job-section" aria-labelledby="job-schedule-legend">
      <legend id="job-schedule-legend">Schedule</legend>
      <div className="form-grid">
        <Field id="job-scheduleKind" name="scheduleKind" label="Repeats">
          <select id="job-scheduleKind" value={kind} onChange={(e) => update('scheduleKind', e.target.value as Schedule['kind'])}>
            <Options values={Object.keys(KIND_LABELS) as Schedule['kind'][]} label={(k) => KIND_LABELS[k]} />
          </select>
        </Field>

        {kind === 'weekly' && (
          <Field id="job-weekday" name="weekday" label="Weekday" error={show('weekday')}>
            <select {...describedBy('job-weekday', show('weekday'))} value={draft.weekday} onChange={(e) => update('weekday', e.target.value as Weekday)}>
              <Options values={WEEKDAYS} label={(d) => WEEKDAY_LABELS[d]} />
            </select>
          </Field>
        )}
        {kind === 'monthly' && (
          <Field id="job-monthDay" name="monthDay" label="Day of month" error={show('monthDay')} hint="1–28, or the last day (29–31 would skip short months).">
            <select {...describedBy('job-monthDay', show('monthDay'), true)} value={draft.monthDay} onChange={(e) => update('monthDay', e.target.value)}>
              <Options values={MONTH_DAYS} label={(d) => (d === 'last' ? 'last day' : d)} />
            </select>
          </Field>
        )}
        {kind !== 'cron' && (
          <Field id="job-time" name="time" label="Time" error={show('time')}>
            <input {...describedBy('job-time', show('time'))} type="time" required value={draft.time} onChange={(e) => update('time', e.target.value)} />
          </Field>
        )}
        {kind === 'cron' && (
          // Not <Field>: the live parse error is announced (role=alert) as it appears.
          <div className={cronError ? 'field field-invalid' : 'field'}>
            <label htmlFor="job-cron">Cron expression</label>
            <input
              id="job-cron"
              className="mono"
              aria-invalid={cronError ? true : undefined}
              aria-describedby={cronError ? 'job-cron-error' : 'job-cron-hint'}
              autoComplete="off"
              spellCheck={false}
              placeholder="*/15 9-17 * * 1-5"
              value={draft.cron}
              onChange={(e) => update('cron', e.target.value)}
            />
            {cronError ? (
              <p className="field-error" id="job-cron-error" role="alert" data-testid="error-cron">
                {cronError}
              </p>
            ) : (
              <p className="hint" id="job-cron-hint">
                {CRON_HINT}
              </p>
            )}
          </div>
        )}

        <Field id="job-timeZone" name="timeZone" label="Time zone" error={show('timeZone')} hint="IANA name; slots follow its daylight-saving changes.">
          <input
            {...describedBy('job-timeZone', show('timeZone'), true)}
            list="job-timezones"
            autoComplete="off"
            spellCheck={false}
            value={draft.timeZone}
            onChange={(e) => update('timeZone', e.target.value)}
          />
          <datalist id="job-timezones">
            {knownTimeZones().map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </Field>
      </div>

      {show('schedule') && (
        <p className="field-error" role="alert" data-testid="error-schedule">
          {show('schedule')}
        </p>
      )}
      {preview && <SchedulePreviewView preview={preview} timeZone={draft.timeZone.trim()} stale={!answer?.current} />}

      <div className="option-row">
        <label className="checkbox">
          <input type="checkbox" checked={draft.enabled} onChange={(e) => update('enabled', e.target.checked)} />
          Enabled
        </label>
        <label className="checkbox" title="After sleep or with the app closed, a missed slot runs once at start-up or resume instead of waiting for the next one.">
          <input type="checkbox" checked={draft.catchUp} onChange={(e) => update('catchUp', e.target.checked)} />
          Catch up missed runs after downtime
        </label>
      </div>
    </fieldset>
  )
}
