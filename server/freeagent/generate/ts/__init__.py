"""TypeScript targets: types, zod schemas, fetch clients and framework handlers."""
