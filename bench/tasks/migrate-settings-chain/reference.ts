const PAGE_SIZES = [10, 25, 50, 100] as const;

function v1ToV2(settings: SettingsV1): SettingsV2 {
  return {
    version: 2,
    appearance: { theme: settings.theme },
    notifications: { email: settings.emailNotifications, push: false },
    pageSize: settings.pageSize,
  };
}

function v2ToV3(settings: SettingsV2): SettingsV3 {
  const channels: Array<'email' | 'push'> = [];
  if (settings.notifications.email) channels.push('email');
  if (settings.notifications.push) channels.push('push');
  return {
    version: 3,
    appearance: { theme: settings.appearance.theme, density: 'comfortable' },
    notifications: { channels },
    pagination: { pageSize: PAGE_SIZES.find((size) => settings.pageSize <= size) ?? 100 },
  };
}

export function migrateSettings(input: AnySettings): SettingsV3 {
  const version = input.version ?? 1;
  switch (version) {
    case 1:
      return v2ToV3(v1ToV2(input as SettingsV1));
    case 2:
      return v2ToV3(input as SettingsV2);
    case 3:
      return structuredClone(input as SettingsV3);
    default:
      throw new RangeError(`Unknown settings version: ${String(version)}`);
  }
}
