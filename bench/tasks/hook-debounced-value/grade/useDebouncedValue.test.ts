import assert from "node:assert/strict"
import { afterEach, beforeEach, mock, test } from "node:test"

import { createElement } from "react"
import TestRenderer, { act } from "react-test-renderer"

import { useDebouncedValue } from "../src/hooks/useDebouncedValue.ts"

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true
// code written for the browser may call window.setTimeout
;(globalThis as { window?: unknown }).window ??= globalThis

beforeEach(() => mock.timers.enable({ apis: ["setTimeout", "Date"] }))
afterEach(() => mock.timers.reset())

function mount<T>(value: T, delayMs: number) {
  const seen: T[] = []
  function Probe(props: { value: T; delayMs: number }) {
    seen.push(useDebouncedValue(props.value, props.delayMs))
    return null
  }
  let renderer!: TestRenderer.ReactTestRenderer
  act(() => {
    renderer = TestRenderer.create(createElement(Probe, { value, delayMs }))
  })
  return {
    seen,
    current: () => seen[seen.length - 1],
    update: (next: T, nextDelay = delayMs) => act(() => renderer.update(createElement(Probe, { value: next, delayMs: nextDelay }))),
    unmount: () => act(() => renderer.unmount()),
  }
}

function tick(ms: number) {
  act(() => mock.timers.tick(ms))
}

test("returns the first value at once", () => {
  const probe = mount("a", 300)
  assert.equal(probe.current(), "a")
  tick(1000)
  assert.equal(probe.current(), "a")
})

test("updates only after the delay", () => {
  const probe = mount("a", 300)
  probe.update("b")
  assert.equal(probe.current(), "a")
  tick(299)
  assert.equal(probe.current(), "a")
  tick(1)
  assert.equal(probe.current(), "b")
})

test("every change restarts the wait; intermediate values are skipped", () => {
  const probe = mount("a", 300)
  probe.update("b")
  tick(200)
  probe.update("c")
  tick(200)
  assert.equal(probe.current(), "a")
  probe.update("d")
  tick(299)
  assert.equal(probe.current(), "a")
  tick(1)
  assert.equal(probe.current(), "d")
  assert.ok(!probe.seen.includes("b") && !probe.seen.includes("c"), `saw ${probe.seen.join(",")}`)
})

test("going back to the shown value cancels the pending update", () => {
  const probe = mount(1, 100)
  probe.update(2)
  tick(50)
  probe.update(1)
  for (let step = 0; step < 50; step++) tick(10) // one act per step: no batching hides a render
  assert.ok(!probe.seen.includes(2), `saw ${probe.seen.join(",")}`)
  assert.equal(probe.current(), 1)
})

test("a pending update is dropped on unmount", () => {
  const probe = mount("a", 100)
  probe.update("b")
  const mocked = globalThis.setTimeout
  let fired = 0
  globalThis.setTimeout = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) =>
    mocked(() => {
      fired += 1
      callback(...args)
    }, ms)) as typeof setTimeout
  try {
    probe.update("c") // the hook's next timer goes through the counting wrapper
    probe.unmount()
    tick(1000)
    assert.equal(fired, 0, "a timer callback ran after unmount")
    assert.ok(!probe.seen.includes("c"))
  } finally {
    globalThis.setTimeout = mocked
  }
})
