import type { TaskPriority, TaskStatus } from '../schemas/task.js';

const PRIORITIES: Record<1 | 2 | 3, TaskPriority> = { 1: 'high', 2: 'medium', 3: 'low' };

function isV2(record: TaskRecordV1 | TaskRecordV2): record is TaskRecordV2 {
  return (record as TaskRecordV2).schemaVersion === 2;
}

function migrateDueDate(due: string, id: number): string | null {
  if (due === '') {
    return null;
  }
  const match = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(due);
  if (match) {
    const [, dd, mm, yyyy] = match;
    const date = new Date(Date.UTC(Number(yyyy), Number(mm) - 1, Number(dd)));
    if (date.getUTCFullYear() === Number(yyyy) && date.getUTCMonth() === Number(mm) - 1 && date.getUTCDate() === Number(dd)) {
      return `${yyyy}-${mm}-${dd}`;
    }
  }
  throw new Error(`Task ${id}: invalid due date ${JSON.stringify(due)}`);
}

function migrateOne(record: TaskRecordV1): TaskRecordV2 {
  const status: TaskStatus = record.done ? 'done' : record.inProgress ? 'in_progress' : 'todo';
  const labels = [...new Set(record.tags.split(',').map((tag) => tag.trim().toLowerCase()).filter((tag) => tag !== ''))];
  const owner = record.owner?.trim();
  return {
    schemaVersion: 2,
    id: `legacy-${record.id}`,
    title: record.title.trim(),
    status,
    priority: record.priority === undefined ? 'medium' : PRIORITIES[record.priority],
    labels,
    dueDate: migrateDueDate(record.due, record.id),
    assignee: owner ? record.owner ?? null : null,
  };
}

export function migrateTasks(records: Array<TaskRecordV1 | TaskRecordV2>): TaskRecordV2[] {
  return records.map((record) => (isV2(record) ? record : migrateOne(record)));
}
