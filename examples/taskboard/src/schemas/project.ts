import { z } from 'zod';

export const projectSchema = z.object({
  id: z.string().uuid(),
  key: z.string().regex(/^[A-Z]{2,6}$/, 'Project key must be 2-6 uppercase letters'),
  name: z.string().trim().min(1).max(100),
  description: z.string().max(1000).optional(),
  createdAt: z.string().datetime(),
});

export const createProjectSchema = projectSchema.omit({
  id: true,
  createdAt: true,
});

export const projectParamsSchema = z.object({
  projectId: z.string().uuid(),
});

export type Project = z.infer<typeof projectSchema>;
export type CreateProjectInput = z.input<typeof createProjectSchema>;
