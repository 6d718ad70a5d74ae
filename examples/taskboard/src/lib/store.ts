import { randomUUID } from 'node:crypto';

import type { Project } from '../schemas/project.js';
import type { Comment, Task } from '../schemas/task.js';

// In-memory storage keeps the example dependency-free. Swap for a database later.
export const db = {
  projects: new Map<string, Project>(),
  tasks: new Map<string, Task>(),
  comments: new Map<string, Comment>(),
};

export function newId(): string {
  return randomUUID();
}

export function now(): string {
  return new Date().toISOString();
}

export function tasksForProject(projectId: string): Task[] {
  return [...db.tasks.values()].filter((task) => task.projectId === projectId);
}

function seed(): void {
  const project: Project = {
    id: newId(),
    key: 'DEMO',
    name: 'Demo project',
    description: 'Created on startup so the API has something to show.',
    createdAt: now(),
  };
  db.projects.set(project.id, project);

  const task: Task = {
    id: newId(),
    projectId: project.id,
    title: 'Try the taskboard API',
    description: 'List projects, then create a task of your own.',
    status: 'todo',
    priority: 'medium',
    assignee: null,
    dueDate: null,
    createdAt: now(),
    updatedAt: now(),
  };
  db.tasks.set(task.id, task);
}

seed();
