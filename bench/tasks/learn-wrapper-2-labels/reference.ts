import { apiFetch } from '../lib/http.js';

export async function listLabelNames(): Promise<string[]> {
  const items = await apiFetch<Array<{ name: string }>>('/labels');
  return items.map((item) => item.name);
}
