interface ConfirmStepProps {
  database: string
  typed: string
  onTyped(value: string): void
  disabled: boolean
}

/**
 * Step 2: the target database name, typed by hand. Never pre-filled, no autocomplete, paste and drop
 * refused: the DBA has to read the name and mean it.
 */
export function ConfirmStep({ database, typed, onTyped, disabled }: ConfirmStepProps) {
  const matches = typed === database
  return (
    <div className="restore-confirm field" data-testid="restore-confirm">
      <label htmlFor="restore-confirm-name">
        Type the target database name to confirm: <span className="mono confirm-name">{database}</span>
      </label>
      <input
        id="restore-confirm-name"
        name="restore-confirm-name"
        className="mono"
        type="text"
        value={typed}
        onChange={(e) => onTyped(e.target.value)}
        onPaste={(e) => e.preventDefault()}
        onDrop={(e) => e.preventDefault()}
        autoComplete="off"
        autoCorrect="off"
        autoCapitalize="off"
        spellCheck={false}
        data-lpignore="true"
        aria-invalid={typed !== '' && !matches ? true : undefined}
        disabled={disabled}
      />
      <p className="hint">{typed === '' ? 'Pasting is disabled here.' : matches ? 'The name matches.' : 'The name does not match yet.'}</p>
    </div>
  )
}
