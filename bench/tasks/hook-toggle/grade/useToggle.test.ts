import assert from "node:assert/strict"
import { test } from "node:test"

import { createElement } from "react"
import TestRenderer, { act } from "react-test-renderer"

import { type ToggleActions, useToggle } from "../src/hooks/useToggle.ts"

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

function mount(initial?: boolean) {
  const renders: Array<[boolean, ToggleActions]> = []
  function Probe(props: { initial?: boolean; tick: number }) {
    renders.push(props.initial === undefined ? useToggle() : useToggle(props.initial))
    return null
  }
  let renderer!: TestRenderer.ReactTestRenderer
  let tick = 0
  act(() => {
    renderer = TestRenderer.create(createElement(Probe, { initial, tick }))
  })
  const last = () => renders[renders.length - 1]
  return {
    renders,
    on: () => last()[0],
    actions: () => last()[1],
    run: (fn: (actions: ToggleActions) => void) => act(() => fn(last()[1])),
    rerender: () => act(() => renderer.update(createElement(Probe, { initial, tick: ++tick }))),
  }
}

test("starts off by default, or at the initial value", () => {
  assert.equal(mount().on(), false)
  assert.equal(mount(true).on(), true)
  assert.equal(mount(false).on(), false)
})

test("toggle flips the state", () => {
  const probe = mount()
  probe.run((a) => a.toggle())
  assert.equal(probe.on(), true)
  probe.run((a) => a.toggle())
  assert.equal(probe.on(), false)
})

test("two toggles in one act cancel out, three flip", () => {
  const probe = mount()
  probe.run((a) => {
    a.toggle()
    a.toggle()
  })
  assert.equal(probe.on(), false)
  probe.run((a) => {
    a.toggle()
    a.toggle()
    a.toggle()
  })
  assert.equal(probe.on(), true)
})

test("setOn, setOff and set", () => {
  const probe = mount()
  probe.run((a) => a.setOn())
  assert.equal(probe.on(), true)
  probe.run((a) => a.setOn())
  assert.equal(probe.on(), true)
  probe.run((a) => a.setOff())
  assert.equal(probe.on(), false)
  probe.run((a) => a.set(true))
  assert.equal(probe.on(), true)
  probe.run((a) => a.set(false))
  assert.equal(probe.on(), false)
  probe.run((a) => {
    a.setOn()
    a.toggle()
  })
  assert.equal(probe.on(), false)
})

test("the actions keep their identity across re-renders and state changes", () => {
  const probe = mount()
  const first = probe.actions()
  probe.rerender()
  probe.run((a) => a.toggle())
  probe.run((a) => a.set(false))
  probe.rerender()
  assert.ok(probe.renders.length >= 4)
  for (const [, actions] of probe.renders) {
    assert.equal(actions, first)
    assert.equal(actions.toggle, first.toggle)
    assert.equal(actions.setOn, first.setOn)
    assert.equal(actions.setOff, first.setOff)
    assert.equal(actions.set, first.set)
  }
})

test("an old actions object still acts on the current state", () => {
  const probe = mount()
  const stale = probe.actions()
  probe.run((a) => a.setOn())
  act(() => stale.toggle())
  assert.equal(probe.on(), false)
})
