import type { ErrorInfo } from '../../../shared/errors'
import { ERROR_LABELS } from '../../lib/labels'

/** An error envelope as one line: its short label, then the server's message (which says what to do). */
export function CallFailure({ error }: { error: ErrorInfo }) {
  return (
    <>
      <span className="error-code">{ERROR_LABELS[error.code]}</span> <span>{error.message}</span>
    </>
  )
}
