import type { ReactNode } from 'react'

interface FormActionsProps {
  submitLabel: string
  saving: boolean
  onCancel(): void
  /** Extra buttons, on the left. */
  children?: ReactNode
}

/** A form's button row: extra buttons, then Cancel and the submit button at the right. */
export function FormActions({ submitLabel, saving, onCancel, children }: FormActionsProps) {
  return (
    <div className="actions">
      {children}
      <span className="spacer" />
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" className="primary" disabled={saving}>
        {submitLabel}
      </button>
    </div>
  )
}
