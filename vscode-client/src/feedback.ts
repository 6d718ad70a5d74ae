/**
 * The 👍 / 👎 on the code Free Agent just inserted: after a generation is applied (the server's
 * `freeagent.generate` answers `{applied: true, id}`, a spec-first action's `freeagent.applied`
 * `{recorded: true, id}`), the status bar offers a vote on it — never a modal, never in the way:
 * it goes away after a vote, after the next generation, or after {@link FEEDBACK_SECONDS}. The vote
 * is the server's `freeagent.feedback` command `{id, vote, note?, uri?}` (the outcome store).
 * Pure: no `vscode` import; extension.ts shows it.
 */

export const FEEDBACK_SECONDS = 120;
export const FEEDBACK_COMMAND = 'freeagent.feedback';

export interface FeedbackOffer {
  id: string;
  uri?: string;
  title?: string;
}

/** The generation a command's result says was just inserted, if any. */
export function insertedGeneration(command: string, result: unknown): FeedbackOffer | undefined {
  if (typeof result !== 'object' || result === null) {
    return undefined;
  }
  const r = result as { id?: unknown; applied?: unknown; recorded?: unknown; uri?: unknown; title?: unknown };
  const inserted = command === 'freeagent.generate' ? r.applied === true : command === 'freeagent.applied' && r.recorded === true;
  if (!inserted || typeof r.id !== 'string' || r.id === '') {
    return undefined;
  }
  return {
    id: r.id,
    uri: typeof r.uri === 'string' ? r.uri : undefined,
    title: typeof r.title === 'string' ? r.title : undefined,
  };
}

/** What is being offered for a vote, and when the offer lapses. */
export class FeedbackPrompt {
  private offer: FeedbackOffer | undefined;
  private until = 0;

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** A new insertion: the vote is about it now (a pending one lapses). */
  offered(offer: FeedbackOffer): void {
    this.offer = offer;
    this.until = this.now() + FEEDBACK_SECONDS * 1000;
  }

  /** The insertion still waiting for a vote, if any. */
  get pending(): FeedbackOffer | undefined {
    if (this.offer !== undefined && this.now() > this.until) {
      this.offer = undefined;
    }
    return this.offer;
  }

  /** The `freeagent.feedback` argument for a vote on the pending insertion (which it ends). */
  vote(vote: 'up' | 'down', note?: string): { id: string; vote: 'up' | 'down'; note?: string; uri?: string } | undefined {
    const offer = this.pending;
    if (offer === undefined) {
      return undefined;
    }
    this.offer = undefined;
    const trimmed = note?.trim();
    return { id: offer.id, vote, ...(trimmed ? { note: trimmed } : {}), ...(offer.uri ? { uri: offer.uri } : {}) };
  }

  dismiss(): void {
    this.offer = undefined;
  }
}
