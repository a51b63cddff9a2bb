import { useState } from 'react'

type CopyState = 'idle' | 'copied' | 'failed'

/** Copies one command; says so, or says to select it by hand when the clipboard is refused. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<CopyState>('idle')
  function copy() {
    void navigator.clipboard.writeText(text).then(
      () => setState('copied'),
      () => setState('failed'),
    )
  }
  return (
    <button type="button" className="copy" aria-label={label} onClick={copy} title={state === 'failed' ? 'The clipboard is not available: select the text instead' : undefined}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select it' : 'Copy'}
    </button>
  )
}
