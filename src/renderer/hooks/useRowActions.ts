import { useCallback, useState } from 'react'
import type { ExportProgress, VerifyResult } from '../../shared/backup-model'
import type { ChannelOutput, Result } from '../../shared/contract'
import { api } from '../api'
import { useAppEvent } from './useAppEvent'

export type VerifyState = { status: 'running' } | { status: 'done'; result: Result<VerifyResult> }
export type ExportState =
  | { status: 'running'; progress: ExportProgress | null }
  | { status: 'done'; result: Result<ChannelOutput<'backups.export'>> }

export interface RowActions {
  verify: Record<string, VerifyState>
  exports: Record<string, ExportState>
  runVerify(id: string): void
  runExport(id: string): void
}

/**
 * Verify and export outcomes per backup id, kept above the virtualised table: a row scrolled out of
 * view unmounts, but its result must still be there when it scrolls back.
 */
export function useRowActions(): RowActions {
  const [verify, setVerify] = useState<Record<string, VerifyState>>({})
  const [exports, setExports] = useState<Record<string, ExportState>>({})

  const runVerify = useCallback((id: string) => {
    setVerify((v) => ({ ...v, [id]: { status: 'running' } }))
    void api.backups.verify({ id }).then((result) => setVerify((v) => ({ ...v, [id]: { status: 'done', result } })))
  }, [])

  const runExport = useCallback((id: string) => {
    setExports((e) => ({ ...e, [id]: { status: 'running', progress: null } }))
    void api.backups.export({ id }).then((result) => setExports((e) => ({ ...e, [id]: { status: 'done', result } })))
  }, [])

  useAppEvent('export.progress', ({ progress }) =>
    setExports((e) => (e[progress.backupId]?.status === 'running' ? { ...e, [progress.backupId]: { status: 'running', progress } } : e)),
  )
  return { verify, exports, runVerify, runExport }
}
