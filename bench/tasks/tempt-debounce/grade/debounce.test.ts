import assert from "node:assert/strict"
import { afterEach, beforeEach, mock, test } from "node:test"

import { debounce } from "../src/lib/debounce.ts"

beforeEach(() => mock.timers.enable({ apis: ["setTimeout", "setInterval", "Date"], now: 1_000_000 }))
afterEach(() => mock.timers.reset())

// one millisecond at a time: Node 20's mocked Date.now() inside a timer callback reads the end of the tick
function advance(ms: number) {
  for (let i = 0; i < ms; i++) mock.timers.tick(1)
}

function spy<A extends unknown[]>() {
  const calls: Array<{ at: number; args: A }> = []
  const start = Date.now()
  return { calls, fn: (...args: A) => void calls.push({ at: Date.now() - start, args }) }
}

test("runs once with the latest arguments after the burst", () => {
  const { calls, fn } = spy<[number]>()
  const d = debounce(fn, 100)
  d(1)
  advance(50)
  d(2)
  advance(50)
  d(3)
  advance(99)
  assert.deepEqual(calls, [])
  advance(1)
  assert.deepEqual(calls, [{ at: 200, args: [3] }])
  advance(1000)
  assert.equal(calls.length, 1)
})

test("separate bursts run separately, with every argument", () => {
  const { calls, fn } = spy<[string, number]>()
  const d = debounce(fn, 100)
  d("a", 1)
  advance(150)
  d("b", 2)
  advance(100)
  assert.deepEqual(calls, [
    { at: 100, args: ["a", 1] },
    { at: 250, args: ["b", 2] },
  ])
})

test("cancel drops the waiting run", () => {
  const { calls, fn } = spy<[number]>()
  const d = debounce(fn, 100)
  d(1)
  advance(50)
  d.cancel()
  advance(500)
  assert.deepEqual(calls, [])
  assert.equal(d.pending(), false)
  d(2)
  advance(100)
  assert.deepEqual(calls.map((c) => c.args), [[2]])
})

test("flush runs the waiting call now, once", () => {
  const { calls, fn } = spy<[number]>()
  const d = debounce(fn, 100)
  d.flush()
  assert.deepEqual(calls, [])
  d(1)
  d(2)
  advance(30)
  d.flush()
  assert.deepEqual(calls, [{ at: 30, args: [2] }])
  advance(1000)
  assert.equal(calls.length, 1)
  d.flush()
  assert.equal(calls.length, 1)
})

test("pending tells whether a run is waiting", () => {
  const { fn } = spy<[]>()
  const d = debounce(fn, 100)
  assert.equal(d.pending(), false)
  d()
  assert.equal(d.pending(), true)
  advance(100)
  assert.equal(d.pending(), false)
  d()
  d.flush()
  assert.equal(d.pending(), false)
})

test("leading: a lone call runs at once and only once", () => {
  const { calls, fn } = spy<[number]>()
  const d = debounce(fn, 100, { leading: true })
  d(1)
  assert.deepEqual(calls, [{ at: 0, args: [1] }])
  advance(1000)
  assert.equal(calls.length, 1)
})

test("leading: later calls of the burst give one trailing run", () => {
  const { calls, fn } = spy<[number]>()
  const d = debounce(fn, 100, { leading: true })
  d(1)
  advance(50)
  d(2)
  advance(40)
  d(3)
  advance(99)
  assert.deepEqual(calls, [{ at: 0, args: [1] }])
  advance(1)
  assert.deepEqual(calls, [
    { at: 0, args: [1] },
    { at: 190, args: [3] },
  ])
  advance(1000)
  assert.equal(calls.length, 2)
})

test("leading: a call after the burst ended runs at once again", () => {
  const { calls, fn } = spy<[number]>()
  const d = debounce(fn, 100, { leading: true })
  d(1)
  advance(150)
  d(2)
  assert.deepEqual(calls, [
    { at: 0, args: [1] },
    { at: 150, args: [2] },
  ])
  advance(30)
  d(3)
  advance(200)
  assert.deepEqual(calls.map((c) => c.args), [[1], [2], [3]])
  assert.equal(calls[2].at, 280)
})

test("leading: the wait restarts with every call of the burst", () => {
  const { calls, fn } = spy<[number]>()
  const d = debounce(fn, 100, { leading: true })
  d(1)
  for (let i = 2; i <= 5; i++) {
    advance(80)
    d(i)
  }
  // calls at 0, 80, 160, 240, 320: one burst
  assert.deepEqual(calls.map((c) => c.args), [[1]])
  advance(100)
  assert.deepEqual(calls, [
    { at: 0, args: [1] },
    { at: 420, args: [5] },
  ])
})
