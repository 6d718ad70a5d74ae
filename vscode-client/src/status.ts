/**
 * The status bar item's content: which model generates, and what this session has spent.
 *
 * Costs come from the server's `freeagent/sessionCost` notification (`{model, lastCostUsd,
 * sessionCostUsd, generations, state}`); a server that does not send it is covered by the
 * results of the `freeagent.generate` commands the client ran (`{model, cost_usd, …}`). Each
 * finished generation adds its cost to the session total; an unknown cost (`null`) is shown as
 * unknown, never as $0. The tracker outlives server restarts, so the total is the window's.
 * Pure: no `vscode` import.
 */

export const DEFAULT_MODELS: Record<string, string> = {
  anthropic: 'claude-sonnet-5-5',
  openai: 'gpt-4o',
  ollama: 'qwen2.5-coder:7b',
};

export interface LlmSettings {
  provider?: string;
  model?: string;
  mode?: string;
  fallbackProvider?: string;
  fallbackModel?: string;
}

function providerModel(provider: string | undefined, model: string | undefined, fallback: string): string {
  const p = provider || fallback;
  return `${p}/${model || DEFAULT_MODELS[p] || 'default model'}`;
}

/** `anthropic/claude-sonnet-5-5`, or `ollama/qwen2.5-coder:7b → anthropic/claude-sonnet-5-5` in cost-sensitive mode. */
export function modelLabel(llm: LlmSettings | undefined): string {
  const premium = providerModel(llm?.provider, llm?.model, 'anthropic');
  if (llm?.mode === 'cost-sensitive') {
    return `${providerModel(llm.fallbackProvider, llm.fallbackModel, 'ollama')} → ${premium}`;
  }
  return premium;
}

/** `$0.0123` below a dollar, `$1.25` above; `null` is "cost unknown". */
export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) {
    return 'cost unknown';
  }
  return `$${usd < 1 ? usd.toFixed(4) : usd.toFixed(2)}`;
}

export interface SessionCostParams {
  model: string | null;
  lastCostUsd: number | null;
  sessionCostUsd: number | null;
  generations: number;
  state: 'started' | 'finished';
}

export class CostTracker {
  generations = 0;
  /** Sum of the known costs. */
  knownUsd = 0;
  /** Generations whose cost is unknown. */
  unknown = 0;
  lastModel: string | null = null;
  lastCostUsd: number | null = null;
  /** Whether the server reports costs itself (then command results are not counted again). */
  private serverReports = false;
  private serverRunning = false;
  private clientRunning = 0;

  get running(): boolean {
    return this.serverRunning || this.clientRunning > 0;
  }

  /** The `freeagent/sessionCost` notification. */
  onNotification(params: Partial<SessionCostParams> | null | undefined): void {
    if (!params) {
      return;
    }
    this.serverReports = true;
    if (params.state === 'started') {
      this.serverRunning = true;
      return;
    }
    this.serverRunning = false;
    this.add(params.model ?? null, params.lastCostUsd);
  }

  /** A `freeagent.generate` command was sent. */
  commandStarted(): void {
    this.clientRunning += 1;
  }

  /** Its result (or `undefined` when it failed). */
  commandFinished(result: unknown): void {
    this.clientRunning = Math.max(0, this.clientRunning - 1);
    if (this.serverReports || typeof result !== 'object' || result === null || !('cost_usd' in result)) {
      return; // refused before any model was asked, or already counted from the notification
    }
    const r = result as { model?: string | null; cost_usd?: number | null };
    this.add(r.model ?? null, r.cost_usd);
  }

  /** The server went away: whatever it was doing is not running any more. */
  serverStopped(): void {
    this.serverRunning = false;
  }

  /** The session total: `null` when nothing known was spent but some cost is unknown. */
  get sessionUsd(): number | null {
    return this.unknown > 0 && this.knownUsd === 0 ? null : this.knownUsd;
  }

  private add(model: string | null, cost: number | null | undefined): void {
    this.generations += 1;
    this.lastModel = model;
    if (typeof cost === 'number' && Number.isFinite(cost)) {
      this.knownUsd += cost;
      this.lastCostUsd = cost;
    } else {
      this.unknown += 1;
      this.lastCostUsd = null;
    }
  }
}

/** The session's spend as the status bar shows it: empty before the first generation. */
export function sessionText(tracker: CostTracker): string {
  if (tracker.generations === 0) {
    return '';
  }
  if (tracker.unknown === 0) {
    return formatCost(tracker.knownUsd);
  }
  return tracker.knownUsd > 0 ? `${formatCost(tracker.knownUsd)} + cost unknown` : 'cost unknown';
}

export type ServerState = 'starting' | 'running' | 'stopped';

export interface StatusView {
  text: string;
  tooltip: string;
}

export function statusView(llm: LlmSettings | undefined, tracker: CostTracker, server: ServerState): StatusView {
  const icon = tracker.running ? '$(sync~spin)' : server === 'stopped' ? '$(warning)' : '$(hubot)';
  const spent = sessionText(tracker);
  const text = `${icon} ${modelLabel(llm)}${spent ? ` · ${spent}` : ''}`;
  const lines = [
    `Free Agent — ${llm?.mode === 'cost-sensitive' ? 'cost-sensitive: local model first, then' : 'generates with'} ${modelLabel(llm)}`,
    tracker.generations === 0
      ? 'No generation in this session yet.'
      : `This session: ${tracker.generations} generation${tracker.generations === 1 ? '' : 's'}, ${spent}` +
        ` (last: ${tracker.lastModel ?? 'unknown model'}, ${formatCost(tracker.lastCostUsd)})`,
  ];
  if (tracker.running) {
    lines.push('Generating…');
  }
  if (server !== 'running') {
    lines.push(server === 'starting' ? 'The server is starting.' : 'The server is not running (Free Agent: Show Output).');
  }
  lines.push('Click to open the Free Agent settings.');
  return { text, tooltip: lines.join('\n') };
}
