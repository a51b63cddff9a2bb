import { Fragment } from 'react'
import type { Backup } from '../../../shared/backup-model'
import type { ErrorInfo } from '../../../shared/errors'
import { ENGINE_LABELS } from '../../../shared/model'
import type { ExportState, VerifyState } from '../../hooks/useRowActions'
import { COMPRESSION_LABELS, ERROR_LABELS, FORMAT_LABELS, formatBytes, formatTimestamp } from '../../lib/labels'
import { RestoreCommands } from './RestoreCommands'

const COLUMN_COUNT = 10

function Failure({ error }: { error: ErrorInfo }) {
  return (
    <>
      <span className="error-code">{ERROR_LABELS[error.code]}</span> {error.message}
    </>
  )
}

function VerifyOutcome({ state }: { state: VerifyState }) {
  if (state.status === 'running') {
    return (
      <div className="outcome running" role="status" data-testid="verify-result" data-status="running">
        Verifying: reading the stored file and recomputing its SHA-256…
      </div>
    )
  }
  const { result } = state
  if (!result.ok) {
    return (
      <div className="outcome failed" role="status" data-testid="verify-result" data-status="error">
        <Failure error={result.error} />
      </div>
    )
  }
  const v = result.value
  // A hash that was computed but differs is a mismatch; no hash at all means the file could not be read.
  const status = v.ok ? 'ok' : v.sha256Actual !== null ? 'mismatch' : 'error'
  const heading = {
    ok: 'OK: the stored file matches its checksum',
    mismatch: 'MISMATCH: the stored file does not match its checksum',
    error: 'Verify failed: the stored file could not be read',
  }[status]
  return (
    <div className={`outcome ${v.ok ? 'ok' : 'failed'}`} role="status" data-testid="verify-result" data-status={status}>
      <strong>{heading}</strong>
      <span className="muted">
        {' '}
        ({v.destination}
        {v.sizeBytes !== null ? `, ${formatBytes(v.sizeBytes)}` : ''})
      </span>
      {v.error && <div>{v.error}</div>}
      <dl className="hashes mono">
        <dt>expected</dt>
        <dd data-testid="sha256-expected">{v.sha256Expected}</dd>
        <dt>actual</dt>
        <dd data-testid="sha256-actual" className={status === 'mismatch' ? 'differs' : undefined}>
          {v.sha256Actual ?? '—'}
        </dd>
      </dl>
    </div>
  )
}

function ExportOutcome({ state }: { state: ExportState }) {
  if (state.status === 'running') {
    const p = state.progress
    const percent = p && p.totalBytes ? Math.min(100, Math.round((p.bytes / p.totalBytes) * 100)) : null
    return (
      <div className="outcome running" role="status" data-testid="export-result" data-status="running">
        <span>Saving a copy… {p ? `${formatBytes(p.bytes)}${p.totalBytes ? ` of ${formatBytes(p.totalBytes)}` : ''}` : ''}</span>
        <div className={percent === null ? 'bar small indeterminate' : 'bar small'} role="progressbar" aria-label="Download progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent ?? undefined}>
          <div className="fill" style={percent === null ? undefined : { width: `${percent}%` }} />
        </div>
      </div>
    )
  }
  const { result } = state
  if (!result.ok) {
    return (
      <div className="outcome failed" role="status" data-testid="export-result" data-status="error">
        <Failure error={result.error} />
      </div>
    )
  }
  const v = result.value
  return (
    <div className={`outcome ${v.saved ? 'ok' : ''}`} role="status" data-testid="export-result" data-status={v.saved ? 'saved' : 'not-saved'}>
      {v.saved ? (
        <>
          Saved a copy as <span className="mono">{v.fileName}</span>
          {v.sizeBytes !== null ? ` (${formatBytes(v.sizeBytes)})` : ''}.
        </>
      ) : (
        'Download cancelled: nothing was saved.'
      )}
    </div>
  )
}

function describeContent(b: Backup): string {
  const parts = [b.options.schemaOnly ? 'schema only' : b.options.dataOnly ? 'data only' : 'schema and data']
  parts.push(b.options.tables ? `${b.options.tables.length} selected table${b.options.tables.length === 1 ? '' : 's'}` : 'all tables')
  return parts.join(', ')
}

interface BackupDetailsProps {
  backup: Backup
  verify: VerifyState | undefined
  exported: ExportState | undefined
  showRestore: boolean
}

/** The expanded part of a history row: every recorded fact, the full error, and action outcomes. */
export function BackupDetails({ backup: b, verify, exported, showRestore }: BackupDetailsProps) {
  return (
    <div role="row" className="history-details" data-testid={`backup-details-${b.id}`}>
      <div role="cell" aria-colspan={COLUMN_COUNT}>
        {b.error && (
          <pre className="full-error" data-testid="full-error">
            {b.error}
          </pre>
        )}
        <dl className="facts">
          <dt>File</dt>
          <dd className="mono">{b.fileName}</dd>
          <dt>SHA-256</dt>
          <dd className="mono" data-testid="sha256">
            {b.sha256 ?? '—'}
          </dd>
          <dt>Size</dt>
          <dd>
            {formatBytes(b.rawBytes)} dumped → {formatBytes(b.sizeBytes)} stored
          </dd>
          <dt>Format</dt>
          <dd>
            {FORMAT_LABELS[b.format]}, {COMPRESSION_LABELS[b.compression]}
            {b.encryption ? `, age (${b.encryption})` : ', not encrypted'}
          </dd>
          <dt>Content</dt>
          <dd>
            {describeContent(b)}
            {b.tablesCount !== null ? ` · ${b.tablesCount} tables dumped` : ''}
          </dd>
          <dt>Server</dt>
          <dd>
            {ENGINE_LABELS[b.engine]} {b.serverVersion ?? ''}
            {b.toolName ? ` · ${b.toolName} ${b.toolVersion ?? ''}` : ''}
          </dd>
          <dt>Run</dt>
          <dd>
            {b.reason}, {formatTimestamp(b.startedAt)} → {b.finishedAt ? formatTimestamp(b.finishedAt) : '…'}
          </dd>
          {b.copies.map((c) => (
            <Fragment key={c.destination}>
              <dt>Copy</dt>
              <dd>
                {c.destination}: {c.status}
                {c.location ? <span className="mono"> {c.location}</span> : null}
                {c.error ? ` (${c.error})` : ''}
              </dd>
            </Fragment>
          ))}
        </dl>
        {verify && <VerifyOutcome state={verify} />}
        {exported && <ExportOutcome state={exported} />}
        {showRestore && <RestoreCommands backup={b} />}
      </div>
    </div>
  )
}
