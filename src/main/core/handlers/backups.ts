import type { Handlers } from '../../../shared/contract'
import { AppError } from '../../../shared/errors'
import type { CoreServices } from './services'

type BackupHandlers = Pick<Handlers, `backups.${string}` & keyof Handlers>

export function backupHandlers({ backups, saveDialog, events }: CoreServices): BackupHandlers {
  return {
    'backups.list': async (filter) => backups.list(filter ?? {}),
    'backups.get': async ({ id }) => backups.get(id),
    'backups.tables': ({ profileId }) => backups.tables(profileId),
    'backups.run': async ({ profileId, options, passphrase }) => {
      const started = await backups.start({ profileId, options, passphrase })
      return { id: started.id }
    },
    'backups.cancel': async ({ id }) => {
      backups.cancel(id)
      return null
    },
    'backups.verify': ({ id }) => backups.verify(id),
    'backups.export': async ({ id }) => {
      const backup = backups.get(id)
      // The user picks the place; the renderer only ever learns the file name.
      const path = await saveDialog(backup.fileName)
      if (path === null) return { saved: false, fileName: backup.fileName, sizeBytes: null }
      const { sizeBytes } = await backups.export(id, path, {
        onProgress: (bytes) => events.emit({ type: 'export.progress', progress: { backupId: id, bytes, totalBytes: backup.sizeBytes } }),
      })
      return { saved: true, fileName: backup.fileName, sizeBytes }
    },
    'backups.delete': async ({ id, confirm }) => {
      if (confirm !== id) {
        throw new AppError('VALIDATION', 'confirm: must repeat the backup id exactly', 'confirm')
      }
      await backups.delete(id)
      return null
    },
  }
}
