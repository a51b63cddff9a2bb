import { useState } from 'react'
import type { ErrorInfo } from '../../shared/errors'
import type { Result } from '../../shared/contract'

/** The form of a list page: closed, creating (item null), or editing one item. */
export type EditorForm<T> = { open: false } | { open: true; item: T | null }

export interface EditorPageOptions<T> {
  /** Reloads the list after a save or a removal. */
  reload(): void
  /** The server call that removes an item; its refusal (e.g. "still used by a job") is shown in the dialog. */
  remove(item: T): Promise<Result<unknown>>
  /** Whether two items are the same one (by id or name). */
  same(a: T, b: T): boolean
  /** The notice shown once an item is removed. */
  removedNotice(item: T): string
}

/**
 * The state every list page with a form and a remove dialog shares (Profiles, Destinations,
 * Schedules): the form, the item being removed, the server's refusal, the notice line.
 */
export function useEditorPage<T>(options: EditorPageOptions<T>) {
  const [form, setForm] = useState<EditorForm<T>>({ open: false })
  const [removing, setRemoving] = useState<T | null>(null)
  const [removeError, setRemoveError] = useState<ErrorInfo | null>(null)
  const [busy, setBusy] = useState(false)
  const [notice, setNotice] = useState<string | null>(null)

  /** After the form saved: close it, say so, reload. */
  function saved(message: string) {
    setForm({ open: false })
    setNotice(message)
    options.reload()
  }

  function edit(item: T) {
    setNotice(null)
    setForm({ open: true, item })
  }

  function askRemove(item: T) {
    setRemoveError(null)
    setRemoving(item)
  }

  async function confirmRemove() {
    if (!removing) return
    setBusy(true)
    const result = await options.remove(removing)
    setBusy(false)
    if (!result.ok) return setRemoveError(result.error)
    if (form.open && form.item !== null && options.same(form.item, removing)) setForm({ open: false })
    setNotice(options.removedNotice(removing))
    setRemoving(null)
    options.reload()
  }

  return { form, setForm, edit, removing, setRemoving, askRemove, removeError, busy, notice, setNotice, saved, confirmRemove }
}
