import type { CreateProjectInput, Project } from '../schemas/project.js';
import type { CreateTaskInput, Task, TaskStatus, UpdateTaskInput } from '../schemas/task.js';

interface ApiErrorBody {
  error: {
    code: string;
    message: string;
  };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export class TaskboardClient {
  constructor(private readonly baseUrl: string = 'http://localhost:4000/api') {}

  private async request<T>(path: string, init: RequestInit = {}): Promise<T> {
    const headers = new Headers(init.headers);
    headers.set('content-type', 'application/json');

    const response = await fetch(`${this.baseUrl}${path}`, { ...init, headers });
    if (response.status === 204) {
      return undefined as T;
    }

    const body: unknown = await response.json();
    if (!response.ok) {
      const { error } = body as ApiErrorBody;
      throw new ApiError(response.status, error.code, error.message);
    }
    return (body as { data: T }).data;
  }

  listProjects(): Promise<Project[]> {
    return this.request<Project[]>('/projects');
  }

  createProject(input: CreateProjectInput): Promise<Project> {
    return this.request<Project>('/projects', {
      method: 'POST',
      body: JSON.stringify(input),
    });
  }

  listTasks(projectId: string, status?: TaskStatus): Promise<Task[]> {
    const query = status ? `?status=${encodeURIComponent(status)}` : '';
    return this.request<Task[]>(`/projects/${projectId}/tasks${query}`);
  }

  createTask(projectId: string, input: CreateTaskInput): Promise<Task> {
    return this.request<Task>(`/projects/${projectId}/tasks`, {
      method: 'POST',
      body: JSON.stringify(input),
    });
  }

  updateTask(taskId: string, changes: UpdateTaskInput): Promise<Task> {
    return this.request<Task>(`/tasks/${taskId}`, {
      method: 'PATCH',
      body: JSON.stringify(changes),
    });
  }

  deleteTask(taskId: string): Promise<void> {
    return this.request<void>(`/tasks/${taskId}`, { method: 'DELETE' });
  }

  // TODO: create a comment on a task
}
