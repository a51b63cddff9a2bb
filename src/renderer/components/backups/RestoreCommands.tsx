import type { Backup } from '../../../shared/backup-model'
import { restoreCommands } from '../../../shared/restore-commands'
import { CopyButton } from './CopyButton'

/** "Restore by hand": the stock commands for this very file, each with a copy button. */
export function RestoreCommands({ backup }: { backup: Backup }) {
  const groups = restoreCommands(backup)
  return (
    <section className="restore-commands" aria-label={`Restore ${backup.fileName} by hand`} data-testid="restore-commands">
      <h3>Restore by hand</h3>
      <p className="muted">
        Stock tools only. Replace the &lt;placeholders&gt;, run the commands in the directory holding the downloaded file.
      </p>
      <ol>
        {groups.map((group) => (
          <li key={group.title}>
            <div className="step-title">{group.title}</div>
            {group.commands.map((command) => (
              <div className="command" key={command}>
                <code className="mono">{command}</code>
                <CopyButton text={command} label={`Copy: ${command}`} />
              </div>
            ))}
            {group.note && <p className="hint">{group.note}</p>}
          </li>
        ))}
      </ol>
    </section>
  )
}
