import { z } from 'zod';

export const taskStatusSchema = z.enum(['todo', 'in_progress', 'done']);
export const taskPrioritySchema = z.enum(['low', 'medium', 'high']);

export const taskSchema = z.object({
  id: z.string().uuid(),
  projectId: z.string().uuid(),
  title: z.string().trim().min(1).max(200),
  description: z.string().max(5000),
  status: taskStatusSchema,
  priority: taskPrioritySchema,
  assignee: z.string().email().nullable(),
  dueDate: z.string().date().nullable(),
  createdAt: z.string().datetime(),
  updatedAt: z.string().datetime(),
});

export const createTaskSchema = z.object({
  title: taskSchema.shape.title,
  description: taskSchema.shape.description.default(''),
  priority: taskPrioritySchema.default('medium'),
  assignee: taskSchema.shape.assignee.default(null),
  dueDate: taskSchema.shape.dueDate.default(null),
});

export const updateTaskSchema = taskSchema
  .pick({
    title: true,
    description: true,
    status: true,
    priority: true,
    assignee: true,
    dueDate: true,
  })
  .partial();

export const taskParamsSchema = z.object({
  taskId: z.string().uuid(),
});

export const commentSchema = z.object({
  id: z.string().uuid(),
  taskId: z.string().uuid(),
  author: z.string().email(),
  body: z.string().trim().min(1).max(2000),
  createdAt: z.string().datetime(),
});

export const createCommentSchema = commentSchema.pick({
  author: true,
  body: true,
});

export type TaskStatus = z.infer<typeof taskStatusSchema>;
export type TaskPriority = z.infer<typeof taskPrioritySchema>;
export type Task = z.infer<typeof taskSchema>;
export type CreateTaskInput = z.input<typeof createTaskSchema>;
export type UpdateTaskInput = z.input<typeof updateTaskSchema>;
export type Comment = z.infer<typeof commentSchema>;
export type CreateCommentInput = z.input<typeof createCommentSchema>;
