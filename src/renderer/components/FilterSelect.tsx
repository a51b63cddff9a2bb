import type { ReactNode } from 'react'
import { Options } from './Options'

interface FilterSelectProps<T extends string> {
  id: string
  label: string
  /** The first option, '' = no filter ("All profiles"). */
  anyLabel: string
  values: readonly T[]
  optionLabel?: (value: T) => ReactNode
  value: string
  onChange(value: T | ''): void
}

/** A toolbar filter: its label, then a select offering "any" and each value. */
export function FilterSelect<T extends string>({ id, label, anyLabel, values, optionLabel, value, onChange }: FilterSelectProps<T>) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as T | '')}>
        <option value="">{anyLabel}</option>
        <Options values={values} label={optionLabel} />
      </select>
    </>
  )
}
