import assert from "node:assert/strict"
import { test } from "node:test"

import { type ClassValue, cx } from "../src/lib/cx.ts"

test("joins strings", () => {
  assert.equal(cx("btn", "btn-primary"), "btn btn-primary")
})

test("nothing gives an empty string", () => {
  assert.equal(cx(), "")
  assert.equal(cx(null, undefined, false, true, 0, "", [], {}), "")
})

test("falsy values and true are skipped", () => {
  const disabled = false
  assert.equal(cx("a", disabled && "b", null, undefined, 0, "", true, "c"), "a c")
})

test("dictionaries contribute their truthy keys", () => {
  assert.equal(cx({ active: true, disabled: false, big: 1, small: 0, empty: "", yes: "yes", no: null }), "active big yes")
})

test("arrays are flattened at any depth", () => {
  const nested: ClassValue = ["a", ["b", [{ c: true, d: false }, ["e", [["f"]]]]]]
  assert.equal(cx(nested, "g"), "a b c e f g")
})

test("numbers other than zero are kept", () => {
  assert.equal(cx(1, "x", 0, 2.5), "1 x 2.5")
})

test("strings are split on any whitespace", () => {
  assert.equal(cx("  a   b  ", "\tc\nd ", " "), "a b c d")
})

test("each class appears once, where it first occurs", () => {
  assert.equal(cx("a b", "b", { a: true, c: true }, ["c", "d a"]), "a b c d")
})

test("dictionary keys with spaces are split too", () => {
  assert.equal(cx({ "p-2 m-1": true }, "m-1"), "p-2 m-1")
})
