// Unit tests of settings.ts: the section the server sees, the spawn environment, the synced documents.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { contributedDefault, contributedKeys, documentPatterns, explicitSettings, serverEnv } from '../src/settings';

/** package.json's contributed properties, read from the file itself. */
function contributed(): Record<string, { default?: unknown }> {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { default?: unknown }> }[] };
  };
  return Object.assign({}, ...manifest.contributes.configuration.map((section) => section.properties)) as Record<string, { default?: unknown }>;
}

describe('contributedDefault', () => {
  it("is package.json's default of every contributed setting, in every section", () => {
    const properties = contributed();
    assert.ok(Object.keys(properties).length > 10);
    for (const [key, property] of Object.entries(properties)) {
      assert.deepEqual(contributedDefault(key.replace(/^freeagent\./, '')), property.default, key);
    }
  });
  it('is undefined for a setting package.json does not contribute', () => {
    assert.equal(contributedDefault('llm.anthropicApiKey'), undefined);
    assert.equal(contributedDefault('toString'), undefined);
    assert.equal(contributedDefault('llm'), undefined);
  });
});


describe('serverEnv', () => {
  it('sets stored keys as the variables the providers read', () => {
    const env = serverEnv({ PATH: '/usr/bin' }, { anthropic: 'sk-ant-1', openai: 'sk-2' });
    assert.deepEqual(env, { PATH: '/usr/bin', ANTHROPIC_API_KEY: 'sk-ant-1', OPENAI_API_KEY: 'sk-2' });
  });
  it('a stored key wins over an inherited variable', () => {
    assert.equal(serverEnv({ ANTHROPIC_API_KEY: 'old' }, { anthropic: 'new' }).ANTHROPIC_API_KEY, 'new');
  });
  it('without a stored key the inherited variable stays', () => {
    assert.equal(serverEnv({ OPENAI_API_KEY: 'from-shell' }, { openai: undefined }).OPENAI_API_KEY, 'from-shell');
  });
  it('an empty or blank stored key is no key, and keys are trimmed', () => {
    const env = serverEnv({}, { anthropic: '  ', openai: ' sk-3\n' });
    assert.equal('ANTHROPIC_API_KEY' in env, false);
    assert.equal(env.OPENAI_API_KEY, 'sk-3');
  });
  it('drops undefined values of the base environment', () => {
    assert.deepEqual(serverEnv({ A: undefined, B: 'b' }, {}), { B: 'b' });
  });
});

describe('documentPatterns', () => {
  it('covers manifests and configs, and anchors the spec globs anywhere', () => {
    const patterns = documentPatterns(['openapi.{yaml,yml,json}', '**/openapi*.{yaml,yml,json}', 'specs/**/*.yaml']);
    assert.ok(patterns.includes('**/package.json'));
    assert.ok(patterns.includes('**/{tsconfig,jsconfig}*.json'));
    assert.ok(patterns.includes('**/openapi.{yaml,yml,json}'));
    assert.ok(patterns.includes('**/specs/**/*.yaml'));
    assert.equal(patterns.filter((p) => p === '**/openapi*.{yaml,yml,json}').length, 1);
  });
  it('ignores empty globs and a missing setting', () => {
    assert.deepEqual(documentPatterns(['', ' ']), documentPatterns(undefined));
  });
});

describe('explicitSettings', () => {
  it('only what the user set, as dotted keys, never the client\'s own', () => {
    const keys = contributedKeys();
    assert.ok(keys.includes('store.path') && keys.includes('llm.budgetUsd') && keys.includes('server.command'));
    const set = new Set(['llm.budgetUsd', 'server.command', 'store.enabled']);
    const values: Record<string, unknown> = { 'llm.budgetUsd': 0.1, 'server.command': ['x'], 'store.enabled': false };
    assert.deepEqual(
      explicitSettings(keys, (k) => set.has(k), (k) => values[k]),
      { 'llm.budgetUsd': 0.1, 'store.enabled': false },
    );
  });
  it('nothing set: nothing sent (the workspace file and the server defaults decide)', () => {
    assert.deepEqual(explicitSettings(contributedKeys(), () => false, () => 'x'), {});
  });
});
