import type { Task } from '../schemas/task.js';

function csvField(value: unknown): string {
  if (value === null || value === undefined) {
    return '';
  }
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function tasksToCsv(tasks: Task[], columns: (keyof Task)[]): string {
  const rows = [columns.map(csvField).join(',')];
  for (const task of tasks) {
    rows.push(columns.map((column) => csvField(task[column])).join(','));
  }
  return rows.map((row) => `${row}\r\n`).join('');
}
