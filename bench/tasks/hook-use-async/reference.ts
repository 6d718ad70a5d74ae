import { useCallback, useEffect, useRef, useState } from "react"

export interface AsyncState<T> {
  status: "loading" | "success" | "error"
  data: T | undefined
  error: unknown
  reload: () => void
}

type Outcome<T> = Omit<AsyncState<T>, "reload">

export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): AsyncState<T> {
  const [outcome, setOutcome] = useState<Outcome<T>>({ status: "loading", data: undefined, error: undefined })
  const [generation, setGeneration] = useState(0)
  const latestLoad = useRef(load)
  latestLoad.current = load

  useEffect(() => {
    const controller = new AbortController()
    setOutcome((previous) =>
      previous.status === "loading" ? previous : { status: "loading", data: previous.data, error: undefined },
    )
    latestLoad.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setOutcome({ status: "success", data, error: undefined })
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setOutcome((previous) => ({ status: "error", data: previous.data, error }))
      },
    )
    return () => controller.abort()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, generation])

  const reload = useCallback(() => setGeneration((n) => n + 1), [])
  return { ...outcome, reload }
}
