/** The secrets one connection to a database may need: the database password, and the SSH hops' password or key passphrase. */
export interface ConnectionSecrets {
  password: string | undefined
  /** The SSH host's password (auth: password) or key passphrase (auth: publickey). */
  sshSecret?: string | undefined
  jumpSecret?: string | undefined
}
