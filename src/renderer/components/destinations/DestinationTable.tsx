import { DESTINATION_TYPE_LABELS, type DestinationView } from '../../../shared/destination-model'
import { useDestinationScan, useDestinationTest } from '../../hooks/useDestinations'
import { savedCredentials } from '../../lib/destination-draft'
import { GridHead } from '../GridHead'
import { DestinationTestResult } from './DestinationTestResult'
import { ScanResultView } from './ScanResultView'

const COLUMNS = ['Name', 'Type', 'Location', 'Credentials'] as const

interface RowActions {
  onEdit(destination: DestinationView): void
  onRemove(destination: DestinationView): void
}

/** S3 without keys is not "no credentials": the SDK uses the environment or the instance role. */
function Credentials({ destination }: { destination: DestinationView }) {
  const saved = savedCredentials(destination)
  if (saved) {
    return (
      <span className="password-saved" data-testid="credentials-saved">
        {saved}
      </span>
    )
  }
  return <span className="muted">{destination.config.type === 's3' ? 'environment / instance role' : '—'}</span>
}

function DestinationRow({ destination, onEdit, onRemove }: { destination: DestinationView } & RowActions) {
  const test = useDestinationTest()
  const scan = useDestinationScan()
  const { name } = destination
  return (
    <>
      <tr data-testid={`destination-row-${name}`}>
        <td className="name">
          {name}
          {destination.builtIn && (
            <span className="built-in" title="Always there: the data folder's backups directory. It can't be edited or removed.">
              built-in
            </span>
          )}
        </td>
        <td>{DESTINATION_TYPE_LABELS[destination.config.type]}</td>
        <td className="mono location" data-testid="destination-location">
          {destination.location}
        </td>
        <td>
          <Credentials destination={destination} />
        </td>
        <td className="row-actions">
          <button type="button" aria-label={`Test ${name}`} onClick={() => test.run({ name })} disabled={test.state.status === 'running'}>
            Test
          </button>
          {!destination.builtIn && (
            <button type="button" aria-label={`Edit ${name}`} onClick={() => onEdit(destination)}>
              Edit
            </button>
          )}
          <button type="button" aria-label={`Scan ${name}`} title="Find backups stored here that this machine doesn't know yet" onClick={() => scan.run({ name })} disabled={scan.state.status === 'running'}>
            Scan
          </button>
          {!destination.builtIn && (
            <button type="button" className="danger-link" aria-label={`Remove ${name}`} onClick={() => onRemove(destination)}>
              Remove
            </button>
          )}
        </td>
      </tr>
      {(test.state.status !== 'idle' || scan.state.status !== 'idle') && (
        <tr className="result-row" data-testid={`destination-results-${name}`}>
          <td colSpan={COLUMNS.length + 1}>
            <DestinationTestResult state={test.state} pinnedHostKey={destination.config.type === 'sftp' ? destination.config.hostKey : undefined} />
            <ScanResultView state={scan.state} />
          </td>
        </tr>
      )}
    </>
  )
}

export function DestinationTable({ destinations, ...actions }: { destinations: DestinationView[] } & RowActions) {
  return (
    <table className="grid destination-table" aria-label="Destinations">
      <GridHead columns={COLUMNS} />
      <tbody>
        {destinations.map((destination) => (
          // Keyed on updatedAt too: an edit drops the row's old results, which described other settings.
          <DestinationRow key={`${destination.name}:${destination.updatedAt ?? ''}`} destination={destination} {...actions} />
        ))}
      </tbody>
    </table>
  )
}
