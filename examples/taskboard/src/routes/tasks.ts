import { Router } from 'express';

import { NotFoundError } from '../lib/errors.js';
import { db, now } from '../lib/store.js';
import { taskParamsSchema, updateTaskSchema } from '../schemas/task.js';
import type { Task } from '../schemas/task.js';

export const tasksRouter = Router();

function getTask(taskId: string): Task {
  const task = db.tasks.get(taskId);
  if (!task) {
    throw new NotFoundError('Task', taskId);
  }
  return task;
}

tasksRouter.get('/:taskId', (req, res) => {
  const { taskId } = taskParamsSchema.parse(req.params);
  res.json({ data: getTask(taskId) });
});

tasksRouter.patch('/:taskId', (req, res) => {
  const { taskId } = taskParamsSchema.parse(req.params);
  const changes = updateTaskSchema.parse(req.body);
  const task: Task = {
    ...getTask(taskId),
    ...changes,
    updatedAt: now(),
  };
  db.tasks.set(taskId, task);
  res.json({ data: task });
});

tasksRouter.delete('/:taskId', (req, res) => {
  const { taskId } = taskParamsSchema.parse(req.params);
  getTask(taskId);
  db.tasks.delete(taskId);
  for (const [commentId, comment] of db.comments) {
    if (comment.taskId === taskId) {
      db.comments.delete(commentId);
    }
  }
  res.status(204).end();
});

// TODO: list comments for a task
