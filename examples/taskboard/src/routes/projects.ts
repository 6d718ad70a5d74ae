import { Router } from 'express';

import { NotFoundError } from '../lib/errors.js';
import { db, newId, now, tasksForProject } from '../lib/store.js';
import { createProjectSchema, projectParamsSchema } from '../schemas/project.js';
import type { Project } from '../schemas/project.js';
import { createTaskSchema, taskStatusSchema } from '../schemas/task.js';
import type { Task } from '../schemas/task.js';

export const projectsRouter = Router();

function getProject(projectId: string): Project {
  const project = db.projects.get(projectId);
  if (!project) {
    throw new NotFoundError('Project', projectId);
  }
  return project;
}

projectsRouter.get('/', (_req, res) => {
  res.json({ data: [...db.projects.values()] });
});

projectsRouter.post('/', (req, res) => {
  const input = createProjectSchema.parse(req.body);
  const project: Project = { ...input, id: newId(), createdAt: now() };
  db.projects.set(project.id, project);
  res.status(201).json({ data: project });
});

projectsRouter.get('/:projectId', (req, res) => {
  const { projectId } = projectParamsSchema.parse(req.params);
  res.json({ data: getProject(projectId) });
});

projectsRouter.get('/:projectId/tasks', (req, res) => {
  const { projectId } = projectParamsSchema.parse(req.params);
  getProject(projectId);
  const status = taskStatusSchema.optional().parse(req.query.status);
  const tasks = tasksForProject(projectId).filter((task) => !status || task.status === status);
  res.json({ data: tasks });
});

projectsRouter.post('/:projectId/tasks', (req, res) => {
  const { projectId } = projectParamsSchema.parse(req.params);
  getProject(projectId);
  const input = createTaskSchema.parse(req.body);
  const task: Task = {
    ...input,
    id: newId(),
    projectId,
    status: 'todo',
    createdAt: now(),
    updatedAt: now(),
  };
  db.tasks.set(task.id, task);
  res.status(201).json({ data: task });
});
