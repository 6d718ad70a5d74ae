export interface ClassDictionary {
  [className: string]: unknown
}

export type ClassValue = string | number | boolean | null | undefined | ClassDictionary | ClassValue[]

function collect(value: ClassValue, names: Set<string>): void {
  if (typeof value === "string") {
    for (const name of value.split(/\s+/)) {
      if (name) names.add(name)
    }
  } else if (typeof value === "number") {
    if (value !== 0) names.add(String(value))
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, names)
  } else if (value !== null && typeof value === "object") {
    for (const [name, enabled] of Object.entries(value)) {
      if (enabled) collect(name, names)
    }
  }
}

export function cx(...values: ClassValue[]): string {
  const names = new Set<string>()
  for (const value of values) collect(value, names)
  return [...names].join(" ")
}
