/**
 * "Generate from Description…" as the server understands it.
 *
 * The server's `freeagent.generate` command takes `{uri, task, line}` and places the code
 * where the marker comment on `line` is (it looks the marker up again by its task text, and
 * refuses when there is none); with `line: null` it appends the code to the end of the file.
 * To put the code at the cursor, the command writes a marker comment there first — unless
 * the cursor is already on a marker for that task — and takes it out again when nothing was
 * inserted. This module owns recognising markers (the same pattern as the server's
 * `freeagent.markers` module) and planning that edit. Pure: no `vscode` import; the default
 * markers come from package.json.
 */

import { contributedDefault } from './settings';

/** `freeagent.markers` unset: package.json's default, which is the server's (`Settings.markers`). */
export const DEFAULT_MARKERS: readonly string[] = stringList(contributedDefault('markers'), 'freeagent.markers');

function stringList(value: unknown, key: string): readonly string[] {
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    throw new Error(`package.json: the default of ${key} is not a list of strings`);
  }
  return value;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The task of a marker comment line (`// TODO: list users` → `list users`), if the line is one. */
export function markerTask(lineText: string, markers: readonly string[] = DEFAULT_MARKERS): string | undefined {
  const names = markers.length > 0 ? markers.map(escape).join('|') : 'TODO';
  const regex = new RegExp(`^\\s*(?://|#|/\\*+|\\*)\\s*(?:${names})(?![\\w])[:\\s-]*(.*?)\\s*(?:\\*/)?\\s*$`, 'i');
  const task = regex.exec(lineText)?.[1];
  return task ? task : undefined;
}

export interface GeneratePlan {
  /** The `freeagent.generate` argument. */
  argument: { uri: string; task: string; line: number };
  /** The marker comment to write on `argument.line` first; absent when the cursor is on a marker for the task. */
  marker?: {
    text: string;
    /** The cursor line was blank: the marker replaces it (else it is inserted above it). */
    replacesLine: boolean;
    /** The blank line's text, put back when nothing was generated. */
    original: string;
  };
}

export function planGeneration(
  uri: string,
  task: string,
  line: number,
  lineText: string,
  languageId: string,
  markers: readonly string[] = DEFAULT_MARKERS,
): GeneratePlan {
  const wanted = task.replace(/\s+/g, ' ').trim();
  if (markerTask(lineText, markers) === wanted) {
    return { argument: { uri, task: wanted, line } };
  }
  const indent = /^[ \t]*/.exec(lineText)?.[0] ?? '';
  const comment = languageId === 'python' ? '#' : '//';
  const text = `${indent}${comment} ${markers[0] ?? 'TODO'}: ${wanted}`;
  return {
    // the task as the server will read it back from the marker
    argument: { uri, task: markerTask(text, markers) ?? wanted, line },
    marker: { text, replacesLine: lineText.trim() === '', original: lineText },
  };
}

/** What to do with a marker this command wrote, after a generation that inserted nothing. */
export function undoMarker(plan: GeneratePlan, currentLineText: string | undefined): 'delete-line' | 'restore-line' | 'leave' {
  if (plan.marker === undefined || currentLineText !== plan.marker.text) {
    return 'leave'; // not ours, or edited since: the user's now
  }
  return plan.marker.replacesLine ? 'restore-line' : 'delete-line';
}

/** Whether a `freeagent.generate` result says the code went in. */
export function wasApplied(result: unknown): boolean {
  return typeof result === 'object' && result !== null && (result as { applied?: unknown }).applied === true;
}
