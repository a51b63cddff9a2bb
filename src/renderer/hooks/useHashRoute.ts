import { useEffect, useState } from 'react'

/** "#/profiles" -> "profiles"; anything unknown falls back to the first route. */
function routeFromHash<R extends string>(routes: readonly R[]): R {
  const id = window.location.hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? ''
  return routes.find((r) => r === id) ?? (routes[0] as R)
}

/** Hash navigation without a router: the route is whatever the address bar says. */
export function useHashRoute<R extends string>(routes: readonly R[]): R {
  const [route, setRoute] = useState(() => routeFromHash(routes))
  useEffect(() => {
    const update = () => setRoute(routeFromHash(routes))
    window.addEventListener('hashchange', update)
    return () => window.removeEventListener('hashchange', update)
  }, [routes])
  return route
}

/** A query parameter of the hash ("#/backups?backup=ID" -> "ID"), following navigation. */
export function useHashParam(name: string): string | undefined {
  const read = () => new URLSearchParams(window.location.hash.split('?')[1] ?? '').get(name) ?? undefined
  const [value, setValue] = useState(read)
  useEffect(() => {
    const update = () => setValue(new URLSearchParams(window.location.hash.split('?')[1] ?? '').get(name) ?? undefined)
    window.addEventListener('hashchange', update)
    return () => window.removeEventListener('hashchange', update)
  }, [name])
  return value
}
