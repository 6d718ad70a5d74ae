import assert from "node:assert/strict"
import { test } from "node:test"

import { createClientId, isClientId } from "../src/lib/ids.ts"

const SHAPE = /^user_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

test("ids are the prefix and a lower-case v4 UUID", () => {
  for (let i = 0; i < 200; i++) {
    const id = createClientId("user")
    assert.match(id, SHAPE)
  }
})

test("ids are unique", () => {
  const ids = new Set(Array.from({ length: 5000 }, () => createClientId("task")))
  assert.equal(ids.size, 5000)
})

test("both ends of the prefix length are accepted", () => {
  assert.match(createClientId("a"), /^a_/)
  assert.match(createClientId("abcdefghijklmnop"), /^abcdefghijklmnop_/)
})

test("invalid prefixes are a TypeError", () => {
  for (const prefix of ["", "User", "a_b", "a-b", "abcdefghijklmnopq", "é", "user1", " user"]) {
    assert.throws(() => createClientId(prefix), TypeError, JSON.stringify(prefix))
  }
})

test("isClientId recognizes ids", () => {
  const id = createClientId("order")
  assert.equal(isClientId(id), true)
  assert.equal(isClientId(id, "order"), true)
  assert.equal(isClientId(id, "user"), false)
  assert.equal(isClientId(id, "orde"), false)
  assert.equal(isClientId("user_3b241101-e2bb-4255-8caf-4136c566a962"), true)
})

test("isClientId rejects other shapes", () => {
  for (const value of [
    "",
    "3b241101-e2bb-4255-8caf-4136c566a962",
    "user-3b241101-e2bb-4255-8caf-4136c566a962",
    "user_3B241101-E2BB-4255-8CAF-4136C566A962",
    "user_3b241101-e2bb-1255-8caf-4136c566a962",
    "user_3b241101-e2bb-4255-cfaf-4136c566a962",
    "user_3b241101e2bb42558caf4136c566a962",
    "user_3b241101-e2bb-4255-8caf-4136c566a962 ",
    " user_3b241101-e2bb-4255-8caf-4136c566a962",
    "user_3b241101-e2bb-4255-8caf-4136c566a962x",
    "User_3b241101-e2bb-4255-8caf-4136c566a962",
    "abcdefghijklmnopq_3b241101-e2bb-4255-8caf-4136c566a962",
    "user_V1StGXR8_Z5jdHi6B-myT",
  ]) {
    assert.equal(isClientId(value), false, JSON.stringify(value))
  }
})
