// Unit tests of status.ts: model labels, cost formatting and the session's running cost.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CostTracker, formatCost, modelLabel, sessionText, statusView } from '../src/status';

describe('modelLabel', () => {
  it('defaults to anthropic/claude-sonnet-5-5', () => {
    assert.equal(modelLabel(undefined), 'anthropic/claude-sonnet-5-5');
    assert.equal(modelLabel({ provider: 'anthropic', model: '' }), 'anthropic/claude-sonnet-5-5');
  });
  it("an empty model is the provider's default", () => {
    assert.equal(modelLabel({ provider: 'openai', model: '' }), 'openai/gpt-4o');
    assert.equal(modelLabel({ provider: 'ollama' }), 'ollama/qwen2.5-coder:7b');
  });
  it('a configured model', () => {
    assert.equal(modelLabel({ provider: 'openai', model: 'gpt-4.1-mini' }), 'openai/gpt-4.1-mini');
  });
  it('cost-sensitive: fallback first, then premium', () => {
    assert.equal(
      modelLabel({ provider: 'anthropic', model: '', mode: 'cost-sensitive', fallbackProvider: 'ollama', fallbackModel: '' }),
      'ollama/qwen2.5-coder:7b → anthropic/claude-sonnet-5-5',
    );
  });
});

describe('formatCost', () => {
  const cases: [number | null | undefined, string][] = [
    [null, 'cost unknown'],
    [undefined, 'cost unknown'],
    [Number.NaN, 'cost unknown'],
    [0, '$0.0000'],
    [0.00123, '$0.0012'],
    [0.0456, '$0.0456'],
    [1.5, '$1.50'],
    [12.345, '$12.35'],
  ];
  for (const [usd, text] of cases) {
    it(`${String(usd)} → ${text}`, () => assert.equal(formatCost(usd), text));
  }
});

describe('CostTracker', () => {
  it('adds finished generations from the server notification', () => {
    const t = new CostTracker();
    t.onNotification({ model: 'claude-sonnet-5-5', lastCostUsd: null, sessionCostUsd: null, generations: 0, state: 'started' });
    assert.equal(t.running, true);
    t.onNotification({ model: 'claude-sonnet-5-5', lastCostUsd: 0.01, sessionCostUsd: 0.01, generations: 1, state: 'finished' });
    t.onNotification({ model: 'claude-sonnet-5-5', lastCostUsd: 0.02, sessionCostUsd: 0.03, generations: 2, state: 'finished' });
    assert.equal(t.running, false);
    assert.equal(t.generations, 2);
    assert.ok(Math.abs(t.knownUsd - 0.03) < 1e-12);
    assert.equal(sessionText(t), '$0.0300');
  });
  it('an unknown cost is never $0', () => {
    const t = new CostTracker();
    t.onNotification({ model: 'my-model', lastCostUsd: null, sessionCostUsd: null, generations: 1, state: 'finished' });
    assert.equal(t.sessionUsd, null);
    assert.equal(sessionText(t), 'cost unknown');
    t.onNotification({ model: 'gpt-4o', lastCostUsd: 0.5, sessionCostUsd: null, generations: 2, state: 'finished' });
    assert.equal(sessionText(t), '$0.5000 + cost unknown');
  });
  it('a free local model is $0, not unknown', () => {
    const t = new CostTracker();
    t.commandStarted();
    t.commandFinished({ applied: true, model: 'qwen2.5-coder:7b', cost_usd: 0 });
    assert.equal(sessionText(t), '$0.0000');
  });
  it("counts command results when the server sends no notification", () => {
    const t = new CostTracker();
    t.commandStarted();
    assert.equal(t.running, true);
    t.commandFinished({ applied: true, model: 'gpt-4o', cost_usd: 0.004 });
    t.commandStarted();
    t.commandFinished({ applied: false, reason: 'cancelled' }); // no model was paid for
    t.commandStarted();
    t.commandFinished(undefined); // the request failed
    assert.equal(t.running, false);
    assert.equal(t.generations, 1);
    assert.equal(t.lastModel, 'gpt-4o');
    assert.equal(sessionText(t), '$0.0040');
  });
  it('does not count a generation twice once the server reports costs', () => {
    const t = new CostTracker();
    t.commandStarted();
    t.onNotification({ model: 'gpt-4o', lastCostUsd: 0.004, sessionCostUsd: 0.004, generations: 1, state: 'finished' });
    t.commandFinished({ applied: true, model: 'gpt-4o', cost_usd: 0.004 });
    assert.equal(t.generations, 1);
  });
  it('a server that stops mid-generation stops the spinner', () => {
    const t = new CostTracker();
    t.onNotification({ model: null, lastCostUsd: null, sessionCostUsd: null, generations: 0, state: 'started' });
    t.serverStopped();
    assert.equal(t.running, false);
    assert.equal(t.generations, 0);
  });
});

describe('statusView', () => {
  it('model only before the first generation', () => {
    const view = statusView(undefined, new CostTracker(), 'running');
    assert.equal(view.text, '$(hubot) anthropic/claude-sonnet-5-5');
    assert.match(view.tooltip, /No generation in this session yet/);
  });
  it('spins while generating, then shows the session cost', () => {
    const t = new CostTracker();
    t.onNotification({ model: 'claude-sonnet-5-5', lastCostUsd: null, sessionCostUsd: null, generations: 0, state: 'started' });
    assert.match(statusView(undefined, t, 'running').text, /^\$\(sync~spin\) /);
    t.onNotification({ model: 'claude-sonnet-5-5', lastCostUsd: 0.0123, sessionCostUsd: 0.0123, generations: 1, state: 'finished' });
    const view = statusView(undefined, t, 'running');
    assert.equal(view.text, '$(hubot) anthropic/claude-sonnet-5-5 · $0.0123');
    assert.match(view.tooltip, /1 generation, \$0\.0123 \(last: claude-sonnet-5-5, \$0\.0123\)/);
  });
  it('warns when the server is not running', () => {
    const view = statusView({ provider: 'openai' }, new CostTracker(), 'stopped');
    assert.equal(view.text, '$(warning) openai/gpt-4o');
    assert.match(view.tooltip, /not running/);
  });
});
