import { apiFetch } from '../lib/http.js';

export async function listTaskTitles(): Promise<string[]> {
  const items = await apiFetch<Array<{ title: string }>>('/tasks');
  return items.map((item) => item.title);
}
