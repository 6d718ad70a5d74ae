import { apiFetch } from '../lib/http.js';

export async function listProjectNames(): Promise<string[]> {
  const items = await apiFetch<Array<{ name: string }>>('/projects');
  return items.map((item) => item.name);
}
