/** A form-wide error (one that belongs to no single field), announced; nothing when there is none. */
export function FormError({ message }: { message: string | undefined }) {
  if (!message) return null
  return (
    <p className="form-error" role="alert" data-testid="form-error">
      {message}
    </p>
  )
}
