/** The honest state of a page whose feature has not been built yet. */
export function PagePlaceholder({ title, description }: { title: string; description: string }) {
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">{title}</h1>
      </header>
      <p className="placeholder">{description}</p>
    </section>
  )
}
