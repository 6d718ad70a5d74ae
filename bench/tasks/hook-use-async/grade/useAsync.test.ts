import assert from "node:assert/strict"
import { test } from "node:test"

import { createElement } from "react"
import TestRenderer, { act } from "react-test-renderer"

import { type AsyncState, useAsync } from "../src/hooks/useAsync.ts"

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

interface Call {
  id: string
  signal: AbortSignal
  resolve: (value: string) => void
  reject: (reason: unknown) => void
}

function harness(initialId: string) {
  const calls: Call[] = []
  const states: Array<AsyncState<string>> = []
  function Probe(props: { id: string; tick: number }) {
    // a new load function on every render, as an inline arrow would be
    const load = (signal: AbortSignal) =>
      new Promise<string>((resolve, reject) => calls.push({ id: props.id, signal, resolve, reject }))
    states.push(useAsync(load, [props.id]))
    return null
  }
  let renderer!: TestRenderer.ReactTestRenderer
  let tick = 0
  let id = initialId
  act(() => {
    renderer = TestRenderer.create(createElement(Probe, { id, tick }))
  })
  return {
    calls,
    states,
    state: () => states[states.length - 1],
    setId: (next: string) => {
      id = next
      act(() => renderer.update(createElement(Probe, { id, tick: ++tick })))
    },
    rerender: () => act(() => renderer.update(createElement(Probe, { id, tick: ++tick }))),
    unmount: () => act(() => renderer.unmount()),
  }
}

async function settle(fn: () => void) {
  await act(async () => {
    fn()
    await new Promise((resolve) => setImmediate(resolve))
  })
}

test("loads on mount", async () => {
  const h = harness("a")
  assert.equal(h.calls.length, 1)
  assert.equal(h.state().status, "loading")
  assert.equal(h.state().data, undefined)
  await settle(() => h.calls[0].resolve("A"))
  assert.equal(h.state().status, "success")
  assert.equal(h.state().data, "A")
  assert.equal(h.state().error, undefined)
})

test("a new load function alone does not reload", async () => {
  const h = harness("a")
  await settle(() => h.calls[0].resolve("A"))
  h.rerender()
  h.rerender()
  assert.equal(h.calls.length, 1)
  assert.equal(h.state().data, "A")
})

test("a deps change loads again, keeping the old data while loading", async () => {
  const h = harness("a")
  await settle(() => h.calls[0].resolve("A"))
  h.setId("b")
  assert.equal(h.calls.length, 2)
  assert.equal(h.calls[1].id, "b")
  assert.equal(h.state().status, "loading")
  assert.equal(h.state().data, "A")
  await settle(() => h.calls[1].resolve("B"))
  assert.equal(h.state().status, "success")
  assert.equal(h.state().data, "B")
})

test("only the newest call wins; older ones are aborted", async () => {
  const h = harness("a")
  h.setId("b")
  assert.equal(h.calls.length, 2)
  assert.equal(h.calls[0].signal.aborted, true)
  assert.equal(h.calls[1].signal.aborted, false)
  await settle(() => h.calls[1].resolve("B"))
  await settle(() => h.calls[0].resolve("A (stale)"))
  assert.equal(h.state().data, "B")
  assert.ok(!h.states.some((s) => s.data === "A (stale)"))
  await settle(() => h.calls[0].reject(new Error("stale failure")))
  assert.equal(h.state().status, "success")
})

test("a rejection is an error state that keeps the last data", async () => {
  const h = harness("a")
  await settle(() => h.calls[0].resolve("A"))
  h.setId("b")
  const failure = new Error("offline")
  await settle(() => h.calls[1].reject(failure))
  assert.equal(h.state().status, "error")
  assert.equal(h.state().error, failure)
  assert.equal(h.state().data, "A")
  h.setId("c")
  assert.equal(h.state().status, "loading")
  assert.equal(h.state().error, undefined)
})

test("reload calls the latest load again and keeps its identity", async () => {
  const h = harness("a")
  await settle(() => h.calls[0].resolve("A"))
  const reload = h.state().reload
  h.setId("b")
  await settle(() => h.calls[1].resolve("B"))
  assert.equal(h.state().reload, reload)
  act(() => h.state().reload())
  assert.equal(h.calls.length, 3)
  assert.equal(h.calls[2].id, "b")
  assert.equal(h.state().status, "loading")
  assert.equal(h.state().data, "B")
  await settle(() => h.calls[2].resolve("B2"))
  assert.equal(h.state().data, "B2")
  assert.ok(h.states.every((s) => s.reload === reload))
})

test("unmounting aborts the pending call and applies nothing", async () => {
  const h = harness("a")
  const before = h.states.length
  h.unmount()
  assert.equal(h.calls[0].signal.aborted, true)
  await settle(() => h.calls[0].resolve("late"))
  assert.equal(h.states.length, before)
})
