// Unit tests of feedback.ts: which results offer a vote, and the vote's lifetime.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FEEDBACK_SECONDS, FeedbackPrompt, insertedGeneration } from '../src/feedback';

describe('insertedGeneration', () => {
  it('an applied LLM generation, and a spec-first action recorded as applied', () => {
    assert.deepEqual(insertedGeneration('freeagent.generate', { applied: true, id: 'abc', uri: 'file:///a.ts', title: 't' }), {
      id: 'abc',
      uri: 'file:///a.ts',
      title: 't',
    });
    assert.deepEqual(insertedGeneration('freeagent.applied', { recorded: true, id: 'def' }), { id: 'def', uri: undefined, title: undefined });
  });
  it('nothing inserted, nothing recorded, or another command: no vote', () => {
    assert.equal(insertedGeneration('freeagent.generate', { applied: false, id: 'abc' }), undefined);
    assert.equal(insertedGeneration('freeagent.generate', { applied: true, id: null }), undefined);
    assert.equal(insertedGeneration('freeagent.applied', { recorded: false, id: 'x' }), undefined);
    assert.equal(insertedGeneration('freeagent.feedback', { recorded: true, id: 'x' }), undefined);
    assert.equal(insertedGeneration('freeagent.generate', undefined), undefined);
  });
});

describe('FeedbackPrompt', () => {
  it('a vote is about the last insertion, once', () => {
    const prompt = new FeedbackPrompt(() => 0);
    prompt.offered({ id: 'one' });
    prompt.offered({ id: 'two', uri: 'file:///b.ts' });
    assert.deepEqual(prompt.vote('down', '  wrong status code '), { id: 'two', vote: 'down', note: 'wrong status code', uri: 'file:///b.ts' });
    assert.equal(prompt.vote('up'), undefined);
  });
  it('an offer lapses', () => {
    let now = 0;
    const prompt = new FeedbackPrompt(() => now);
    prompt.offered({ id: 'one' });
    now = FEEDBACK_SECONDS * 1000 + 1;
    assert.equal(prompt.pending, undefined);
    assert.equal(prompt.vote('up'), undefined);
  });
});
