import type { ReactNode } from 'react'

interface FieldProps {
  id: string
  label: string
  /** Names the error for tests: data-testid="error-<name>". */
  name: string
  error?: string | undefined
  hint?: string | undefined
  children: ReactNode
}

/** A labelled control with its hint and its error right underneath it. */
export function Field({ id, label, name, error, hint, children }: FieldProps) {
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && !error && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`} data-testid={`error-${name}`}>
          {error}
        </p>
      )}
    </div>
  )
}

/** Accessibility props tying a control to its error message. */
export function describedBy(id: string, error: string | undefined, hasHint = false) {
  return {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : hasHint ? `${id}-hint` : undefined,
  }
}
