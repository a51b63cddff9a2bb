import type { Profile } from '../../shared/model'

/** The options of a profile picker: a prompt that cannot be chosen back, then each profile with its tag. */
export function ProfileOptions({ profiles, prompt }: { profiles: readonly Profile[]; prompt: string }) {
  return (
    <>
      <option value="" disabled>
        {prompt}
      </option>
      {profiles.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name}
          {p.tag ? ` [${p.tag}]` : ''}
        </option>
      ))}
    </>
  )
}
