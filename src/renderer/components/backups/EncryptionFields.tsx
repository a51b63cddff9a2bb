import { describedBy, Field } from '../Field'
import { Options } from '../Options'

/** The encryption part of a backup-options draft (a "Back up now" run or a scheduled job). */
export interface EncryptionDraft {
  encryption: 'none' | 'passphrase' | 'recipient'
  passphrase: string
  passphraseAgain: string
  recipient: string
}

type EncryptionField = keyof EncryptionDraft
type Choice = EncryptionDraft['encryption']

const CHOICE_LABELS: Record<Choice, string> = { none: 'None', passphrase: 'age, passphrase', recipient: 'age, recipient public key' }

interface EncryptionFieldsProps {
  /** "job-" or "backup-<profile id>-": the controls' ids are this plus the field's name. */
  idPrefix: string
  draft: EncryptionDraft
  errorOf(field: Exclude<EncryptionField, 'encryption'>): string | undefined
  set<K extends EncryptionField>(field: K, value: EncryptionDraft[K]): void
  /** The choices in the order offered. */
  choices: readonly Choice[]
  passphraseHint: string
  passphrasePlaceholder?: string | undefined
  /** False when a blank passphrase keeps a saved one: the repeat box appears once a new one is typed. */
  alwaysRepeat: boolean
}

/** Encryption with age: none, a passphrase (typed twice) or a recipient public key. */
export function EncryptionFields({ idPrefix, draft, errorOf, set, choices, passphraseHint, passphrasePlaceholder, alwaysRepeat }: EncryptionFieldsProps) {
  const id = (field: EncryptionField) => `${idPrefix}${field}`
  return (
    <>
      <Field id={id('encryption')} name="encryption" label="Encryption" hint="age: files decrypt with the stock age tool.">
        <select {...describedBy(id('encryption'), undefined, true)} value={draft.encryption} onChange={(e) => set('encryption', e.target.value as Choice)}>
          <Options values={choices} label={(c) => CHOICE_LABELS[c]} />
        </select>
      </Field>
      {draft.encryption === 'recipient' && (
        <Field id={id('recipient')} name="recipient" label="age recipient" error={errorOf('recipient')} hint="The public key printed by age-keygen -y.">
          <input
            {...describedBy(id('recipient'), errorOf('recipient'), true)}
            className="mono"
            spellCheck={false}
            autoComplete="off"
            placeholder="age1…"
            value={draft.recipient}
            onChange={(e) => set('recipient', e.target.value)}
          />
        </Field>
      )}
      {draft.encryption === 'passphrase' && (
        <>
          <Field id={id('passphrase')} name="passphrase" label="Passphrase" error={errorOf('passphrase')} hint={passphraseHint}>
            <input
              {...describedBy(id('passphrase'), errorOf('passphrase'), true)}
              type="password"
              autoComplete="new-password"
              placeholder={passphrasePlaceholder}
              value={draft.passphrase}
              onChange={(e) => set('passphrase', e.target.value)}
            />
          </Field>
          {(alwaysRepeat || draft.passphrase !== '') && (
            <Field id={id('passphraseAgain')} name="passphraseAgain" label="Repeat passphrase" error={errorOf('passphraseAgain')}>
              <input
                {...describedBy(id('passphraseAgain'), errorOf('passphraseAgain'))}
                type="password"
                autoComplete="new-password"
                value={draft.passphraseAgain}
                onChange={(e) => set('passphraseAgain', e.target.value)}
              />
            </Field>
          )}
        </>
      )}
    </>
  )
}
