import type { ErrorInfo } from '../../shared/errors'
import { ERROR_LABELS } from '../lib/labels'

/** An error from main, announced: its kind in words, then its message. */
export function ErrorLine({ error }: { error: ErrorInfo }) {
  return (
    <p className="form-error" role="alert">
      {ERROR_LABELS[error.code]}: {error.message}
    </p>
  )
}
