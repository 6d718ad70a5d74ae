// Unit tests of generate.ts: markers as the server reads them, and the generate argument.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_MARKERS, markerTask, planGeneration, undoMarker, wasApplied } from '../src/generate';
import { contributedDefault } from '../src/settings';

describe('markerTask', () => {
  const cases: [string, string | undefined][] = [
    ['// TODO: list users', 'list users'],
    ['  // todo list users', 'list users'],
    ['# FIXME - parse the date', 'parse the date'],
    ['/* @generate: fetch a task */', 'fetch a task'],
    [' * TODO: in a block comment', 'in a block comment'],
    ['// TODOS are not markers', undefined],
    ['// TODO:', undefined],
    ['const todo = 1; // TODO: trailing', undefined],
    ['plain code', undefined],
  ];
  for (const [line, task] of cases) {
    it(JSON.stringify(line), () => assert.equal(markerTask(line), task));
  }
  it("defaults to package.json's freeagent.markers", () => {
    assert.deepEqual(DEFAULT_MARKERS, contributedDefault('markers'));
    for (const marker of DEFAULT_MARKERS) {
      assert.equal(markerTask(`// ${marker}: x`), 'x', marker);
    }
  });
  it('uses the configured markers', () => {
    assert.equal(markerTask('// GEN: x', ['GEN']), 'x');
    assert.equal(markerTask('// TODO: x', ['GEN']), undefined);
  });
});

describe('planGeneration', () => {
  const uri = 'file:///work/app/src/slug.ts';
  it('on a marker for the same task: that line, no edit', () => {
    const plan = planGeneration(uri, 'slugify a title', 4, '  // TODO: slugify a title', 'typescript');
    assert.deepEqual(plan, { argument: { uri, task: 'slugify a title', line: 4 } });
  });
  it('elsewhere: a marker inserted above the cursor line, with its indentation', () => {
    const plan = planGeneration(uri, ' slugify   a title ', 7, '    return x;', 'typescript');
    assert.deepEqual(plan.argument, { uri, task: 'slugify a title', line: 7 });
    assert.deepEqual(plan.marker, { text: '    // TODO: slugify a title', replacesLine: false, original: '    return x;' });
  });
  it('on a blank line the marker replaces it', () => {
    const plan = planGeneration(uri, 'x', 0, '  ', 'typescript');
    assert.equal(plan.marker?.replacesLine, true);
    assert.equal(plan.marker?.original, '  ');
  });
  it('Python gets a # comment and the first configured marker', () => {
    const plan = planGeneration('file:///a.py', 'parse dates', 2, '', 'python', ['@generate', 'TODO']);
    assert.equal(plan.marker?.text, '# @generate: parse dates');
  });
  it('a different task on a marker line gets its own marker', () => {
    const plan = planGeneration(uri, 'other task', 3, '// TODO: list users', 'typescript');
    assert.equal(plan.marker?.text, '// TODO: other task');
  });
  it('sends the task as the server will read it back from the marker', () => {
    const plan = planGeneration(uri, '- list users */', 0, '', 'typescript');
    assert.equal(plan.argument.task, markerTask(plan.marker!.text));
  });
});

describe('undoMarker', () => {
  const inserted = planGeneration('u', 'x', 1, 'code();', 'javascript');
  const replaced = planGeneration('u', 'x', 1, '', 'javascript');
  it('deletes an inserted marker that is still as written', () => assert.equal(undoMarker(inserted, '// TODO: x'), 'delete-line'));
  it('restores a blank line the marker replaced', () => assert.equal(undoMarker(replaced, '// TODO: x'), 'restore-line'));
  it('leaves a marker the user has changed since', () => assert.equal(undoMarker(inserted, '// TODO: x!'), 'leave'));
  it('leaves a line that is gone', () => assert.equal(undoMarker(inserted, undefined), 'leave'));
  it('never touches a marker it did not write', () => {
    assert.equal(undoMarker(planGeneration('u', 'x', 1, '// TODO: x', 'javascript'), '// TODO: x'), 'leave');
  });
});

describe('wasApplied', () => {
  it('only an explicit applied: true', () => {
    assert.equal(wasApplied({ applied: true, cost_usd: 0.01 }), true);
    assert.equal(wasApplied({ applied: false, reason: 'cancelled' }), false);
    assert.equal(wasApplied(undefined), false);
    assert.equal(wasApplied(null), false);
  });
});
