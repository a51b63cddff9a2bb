import { useEffect, useState } from 'react'
import type { AppInfo } from '../../shared/model'
import { api } from '../api'

export interface NavItem<R extends string> {
  id: R
  label: string
}

/** The left navigation: plain links to "#/<route>", so back/forward and reloads just work. */
export function Sidebar<R extends string>({ items, current }: { items: readonly NavItem<R>[]; current: R }) {
  const [info, setInfo] = useState<AppInfo | null>(null)
  useEffect(() => {
    void api.app.info().then((result) => {
      if (result.ok) setInfo(result.value)
    })
  }, [])
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">Lifeboat</div>
      <ul>
        {items.map((item) => (
          <li key={item.id}>
            <a href={`#/${item.id}`} aria-current={item.id === current ? 'page' : undefined}>
              {item.label}
            </a>
          </li>
        ))}
      </ul>
      {info && (
        <footer className="sidebar-footer">
          <div>v{info.version}</div>
          <div className={info.secretStorage.kind === 'plaintext' ? 'warning' : undefined} title={info.secretStorage.description}>
            secrets: {info.secretStorage.kind}
          </div>
        </footer>
      )}
    </nav>
  )
}
