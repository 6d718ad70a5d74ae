export interface Debounced<A extends unknown[]> {
  (...args: A): void
  cancel(): void
  flush(): void
  pending(): boolean
}

export function debounce<A extends unknown[]>(
  fn: (...args: A) => void,
  waitMs: number,
  options: { leading?: boolean } = {},
): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | undefined
  let waiting: { args: A } | undefined

  const finish = () => {
    timer = undefined
    const run = waiting
    waiting = undefined
    if (run) fn(...run.args)
  }

  const debounced = ((...args: A) => {
    if (timer === undefined && options.leading) {
      fn(...args)
    } else {
      waiting = { args }
    }
    if (timer !== undefined) clearTimeout(timer)
    timer = setTimeout(finish, waitMs)
  }) as Debounced<A>

  debounced.cancel = () => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    waiting = undefined
  }
  debounced.flush = () => {
    if (waiting === undefined) return
    if (timer !== undefined) clearTimeout(timer)
    finish()
  }
  debounced.pending = () => waiting !== undefined

  return debounced
}
