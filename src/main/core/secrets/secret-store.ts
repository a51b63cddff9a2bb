/**
 * Where passwords and keys live. The store only ever holds a reference (e.g. "profile/<id>/password").
 * Async because the desktop implementation (Electron safeStorage) is async.
 */
export interface SecretStore {
  /** file: a 0600 file; keychain: OS-protected; plaintext: an OS backend that protects nothing. */
  readonly kind: 'file' | 'keychain' | 'plaintext'
  readonly description: string
  get(ref: string): Promise<string | undefined>
  set(ref: string, value: string): Promise<void>
  delete(ref: string): Promise<void>
}

export const profilePasswordRef = (profileId: string) => `profile/${profileId}/password`
/** The SSH password or key passphrase of a profile's SSH host (`ssh`) or jump host (`jump`). */
export const profileSshSecretRef = (profileId: string, hop: 'ssh' | 'jump') => `profile/${profileId}/${hop}-secret`
