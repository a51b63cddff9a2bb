import type { ReactNode } from 'react'

interface OptionsProps<T extends string> {
  values: readonly T[]
  /** What each option shows; the value itself by default. */
  label?: ((value: T) => ReactNode) | undefined
}

/** One <option> per value, for a <select>. */
export function Options<T extends string>({ values, label }: OptionsProps<T>) {
  return values.map((value) => (
    <option key={value} value={value}>
      {label ? label(value) : value}
    </option>
  ))
}
