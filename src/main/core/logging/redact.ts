/**
 * Last line of defence for secrets: every value the SecretStore hands out or takes in is
 * registered here, and every log line and outgoing error message is passed through redact().
 */
const secrets = new Set<string>()
const MIN_LENGTH = 3 // masking 1-2 character strings would garble every message

export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= MIN_LENGTH) secrets.add(value)
}

export function redact(text: string): string {
  let out = text
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('***')
  return out
}
