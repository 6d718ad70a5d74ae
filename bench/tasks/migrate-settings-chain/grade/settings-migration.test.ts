import assert from 'node:assert/strict';
import { test } from 'node:test';

import { type AnySettings, migrateSettings, type SettingsV3 } from '../packages/shared/src/settings-migration.ts';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

test('v1 without a version goes all the way to v3', () => {
  const input = deepFreeze({ theme: 'dark', emailNotifications: true, pageSize: 20 } as const);
  assert.deepEqual(migrateSettings(input), {
    version: 3,
    appearance: { theme: 'dark', density: 'comfortable' },
    notifications: { channels: ['email'] },
    pagination: { pageSize: 25 },
  });
});

test('v1 with version 1 and e-mail off', () => {
  const input = deepFreeze({ version: 1, theme: 'light', emailNotifications: false, pageSize: 10 } as const);
  assert.deepEqual(migrateSettings(input), {
    version: 3,
    appearance: { theme: 'light', density: 'comfortable' },
    notifications: { channels: [] },
    pagination: { pageSize: 10 },
  });
});

test('v2 keeps its theme and both channels, e-mail first', () => {
  const input = deepFreeze({
    version: 2,
    appearance: { theme: 'system' },
    notifications: { push: true, email: true },
    pageSize: 51,
  } as const);
  assert.deepEqual(migrateSettings(input), {
    version: 3,
    appearance: { theme: 'system', density: 'comfortable' },
    notifications: { channels: ['email', 'push'] },
    pagination: { pageSize: 100 },
  });
});

test('page sizes round up to 10, 25, 50 or 100', () => {
  const cases: Array<[number, number]> = [[0, 10], [1, 10], [10, 10], [11, 25], [25, 25], [26, 50], [50, 50], [99, 100], [100, 100], [101, 100], [5000, 100]];
  for (const [pageSize, expected] of cases) {
    const v2 = migrateSettings({ version: 2, appearance: { theme: 'light' }, notifications: { email: false, push: true }, pageSize });
    assert.equal(v2.pagination.pageSize, expected, `v2 pageSize ${pageSize}`);
    const v1 = migrateSettings({ theme: 'light', emailNotifications: false, pageSize });
    assert.equal(v1.pagination.pageSize, expected, `v1 pageSize ${pageSize}`);
  }
});

test('v3 comes back as an equal deep copy', () => {
  const input: SettingsV3 = {
    version: 3,
    appearance: { theme: 'dark', density: 'compact' },
    notifications: { channels: ['push'] },
    pagination: { pageSize: 50 },
  };
  const output = migrateSettings(input);
  assert.deepEqual(output, input);
  assert.notEqual(output, input);
  output.notifications.channels.push('email');
  output.appearance.theme = 'light';
  assert.deepEqual(input.notifications.channels, ['push']);
  assert.equal(input.appearance.theme, 'dark');
});

test('the result shares nothing with a frozen input', () => {
  const input = deepFreeze({ version: 2, appearance: { theme: 'dark' }, notifications: { email: true, push: false }, pageSize: 25 } as const);
  const output = migrateSettings(input);
  output.appearance.density = 'compact';
  output.notifications.channels.push('push');
  assert.equal(Object.isFrozen(output.appearance), false);
});

test('unknown versions are a RangeError', () => {
  for (const version of [0, 4, 99, '2']) {
    const input = { version, theme: 'light', emailNotifications: true, pageSize: 10 } as unknown as AnySettings;
    assert.throws(() => migrateSettings(input), RangeError, String(version));
  }
});
