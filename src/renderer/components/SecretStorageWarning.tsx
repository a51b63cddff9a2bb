import { useEffect, useState } from 'react'
import type { AppInfo } from '../../shared/model'
import { api } from '../api'

/**
 * A banner across the app shell when the OS offers no keychain (Electron safeStorage backend basic_text
 * on Linux): saved passwords are then only obfuscated on disk, and the user should know.
 */
export function SecretStorageWarning() {
  const [storage, setStorage] = useState<AppInfo['secretStorage'] | null>(null)
  useEffect(() => {
    void api.app.info().then((result) => {
      if (result.ok) setStorage(result.value.secretStorage)
    })
  }, [])
  if (storage?.kind !== 'plaintext') return null
  return (
    <p className="restore-warnings secret-storage-warning" role="alert">
      Saved passwords are not protected by a keychain: {storage.description}.
    </p>
  )
}
