import type { Profile } from '../../shared/model'
import { ENGINE_LABELS } from '../../shared/model'
import { useConnectionTest } from '../hooks/useConnectionTest'
import { profileLocation } from '../lib/labels'
import { sshRoute, viaSsh } from '../lib/ssh-test'
import { GridHead } from './GridHead'
import { TagBadge } from './TagBadge'
import { TestResult } from './TestResult'

const COLUMNS = 7

interface RowActions {
  onEdit(profile: Profile): void
  onRemove(profile: Profile): void
}

function ProfileRow({ profile, onEdit, onRemove }: { profile: Profile } & RowActions) {
  const test = useConnectionTest()
  const via = viaSsh(profile)
  return (
    <>
      <tr data-testid={`profile-row-${profile.name}`}>
        <td className="name">{profile.name}</td>
        <td>{ENGINE_LABELS[profile.engine]}</td>
        <td className="mono">
          {profileLocation(profile)}
          {via && (
            <div className="via-ssh muted" data-testid="profile-ssh" title={profile.engine !== 'sqlite' && profile.ssh?.mode === 'exec' ? 'The dump runs on the SSH host' : 'Through an SSH tunnel'}>
              {via}
            </div>
          )}
        </td>
        <td className="mono">
          {profile.engine === 'sqlite' ? (
            <span className="muted">—</span>
          ) : (
            <>
              {profile.database} <span className="muted">as</span> {profile.user}
            </>
          )}
        </td>
        <td>
          <TagBadge tag={profile.tag} />
        </td>
        <td>
          {profile.hasPassword ? (
            <span className="password-saved" data-testid="password-saved">
              saved
            </span>
          ) : (
            <span className="muted">—</span>
          )}
        </td>
        <td className="row-actions">
          <button type="button" aria-label={`Test ${profile.name}`} onClick={() => test.run({ id: profile.id })} disabled={test.state.status === 'running'}>
            Test
          </button>
          <button type="button" aria-label={`Edit ${profile.name}`} onClick={() => onEdit(profile)}>
            Edit
          </button>
          <button type="button" className="danger-link" aria-label={`Remove ${profile.name}`} onClick={() => onRemove(profile)}>
            Remove
          </button>
        </td>
      </tr>
      {test.state.status !== 'idle' && (
        <tr className="result-row" data-testid={`profile-test-${profile.name}`}>
          <td colSpan={COLUMNS}>
            <TestResult state={test.state} route={sshRoute(profile)} />
          </td>
        </tr>
      )}
    </>
  )
}

export function ProfileTable({ profiles, ...actions }: { profiles: Profile[] } & RowActions) {
  return (
    <table className="grid" aria-label="Connection profiles">
      <GridHead columns={['Name', 'Engine', 'Host:port / file', 'Database / user', 'Tag', 'Password']} />
      <tbody>
        {profiles.map((profile) => (
          // Keyed on updatedAt too: an edit drops the row's old test result, which described other settings.
          <ProfileRow key={`${profile.id}:${profile.updatedAt}`} profile={profile} {...actions} />
        ))}
      </tbody>
    </table>
  )
}
