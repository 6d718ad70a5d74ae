import { useMemo, useState } from "react"

export interface ToggleActions {
  toggle(): void
  setOn(): void
  setOff(): void
  set(value: boolean): void
}

export function useToggle(initial: boolean = false): [boolean, ToggleActions] {
  const [on, setState] = useState(initial)
  const actions = useMemo<ToggleActions>(
    () => ({
      toggle: () => setState((current) => !current),
      setOn: () => setState(true),
      setOff: () => setState(false),
      set: (value: boolean) => setState(value),
    }),
    [],
  )
  return [on, actions]
}
