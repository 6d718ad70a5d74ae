const PREFIX = /^[a-z]{1,16}$/
const CLIENT_ID = /^([a-z]{1,16})_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

export function createClientId(prefix: string): string {
  if (!PREFIX.test(prefix)) {
    throw new TypeError(`Invalid id prefix: ${JSON.stringify(prefix)}`)
  }
  return `${prefix}_${crypto.randomUUID()}`
}

export function isClientId(value: string, prefix?: string): boolean {
  const match = CLIENT_ID.exec(value)
  return match !== null && (prefix === undefined || match[1] === prefix)
}
