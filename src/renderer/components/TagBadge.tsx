import type { Tag } from '../../shared/model'

/** production red, staging amber, dev neutral: the first thing a DBA should see before touching a server. */
export function TagBadge({ tag }: { tag: Tag | null }) {
  if (tag === null) return <span className="muted">—</span>
  return (
    <span className={`tag tag-${tag}`} data-testid="tag-badge">
      {tag}
    </span>
  )
}
