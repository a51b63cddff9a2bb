import { useMemo } from 'react'
import type { Backup } from '../../../shared/backup-model'
import type { Profile } from '../../../shared/model'
import { useBackupProgress } from '../../hooks/useBackupProgress'
import { ProfileRunCard } from './ProfileRunCard'

/**
 * "Back up now", one card per profile. Progress events re-render this section only, never the
 * 10,000-row history beside it.
 */
export function RunSection({ profiles, backups }: { profiles: Profile[]; backups: Backup[] }) {
  const live = useBackupProgress()
  const latestByProfile = useMemo(() => {
    const latest = new Map<string, Backup>()
    for (const b of backups) if (b.profileId && !latest.has(b.profileId)) latest.set(b.profileId, b) // newest first
    return latest
  }, [backups])
  return (
    <section className="run-section" aria-labelledby="run-title">
      <h2 id="run-title">Back up now</h2>
      {profiles.length === 0 ? (
        <p className="empty" data-testid="no-profiles">
          No profiles yet: <a href="#/profiles">create one</a> to back it up.
        </p>
      ) : (
        profiles.map((p) => <ProfileRunCard key={p.id} profile={p} latest={latestByProfile.get(p.id)} live={live} />)
      )}
    </section>
  )
}
