/**
 * What the client hands the server besides LSP messages: the `freeagent` settings section
 * (less the client's own keys), the API keys as environment variables, and which documents
 * are synchronised; and the defaults the extension contributes for that section.
 *
 * The server validates its section strictly (an unknown key is ignored with a warning), so
 * `freeagent.server.*` and `freeagent.trace.*`, which only this extension reads, are taken out
 * before the section is sent. API keys live in VS Code's SecretStorage and reach the server
 * only through its process environment, never through settings. Pure: no `vscode` import.
 */

import { contributes } from '../package.json';

export const SECTION = 'freeagent';

/**
 * The default package.json contributes for `freeagent.<key>` (undefined when it contributes no
 * such setting). The code reads a default from here rather than spelling it again (the default
 * markers); tests/unit/test_settings_contract.py holds package.json equal to the server's Settings.
 */
export function contributedDefault(key: string): unknown {
  const name = `${SECTION}.${key}`;
  for (const section of contributes.configuration) {
    // (the sections' types are widened to one another's keys, as optional)
    const properties: Record<string, { default?: unknown } | undefined> = section.properties;
    if (Object.hasOwn(properties, name)) {
      return properties[name]?.default;
    }
  }
  return undefined;
}

/** Every setting key package.json contributes under the section, without its prefix (`llm.budgetUsd`). */
export function contributedKeys(): string[] {
  const keys: string[] = [];
  for (const section of contributes.configuration) {
    for (const name of Object.keys(section.properties)) {
      if (name.startsWith(`${SECTION}.`)) {
        keys.push(name.slice(SECTION.length + 1));
      }
    }
  }
  return keys;
}

/**
 * The section as the server should see it: only the keys the user set somewhere (user,
 * workspace or folder settings), as dotted keys, less the client's own. VS Code fills every
 * other key with its contributed default — sent, those would hide what the workspace's
 * `.freeagent.json` says (the server puts the editor's layer above the file's), and they are the
 * server's own defaults anyway (tests/unit/test_settings_contract.py).
 */
export function explicitSettings(keys: readonly string[], isSet: (key: string) => boolean, value: (key: string) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (!(CLIENT_ONLY_KEYS as readonly string[]).includes(key.split('.')[0] ?? '') && isSet(key)) {
      out[key] = value(key);
    }
  }
  return out;
}

/** Keys of the `freeagent` section that belong to the client, not the server. */
export const CLIENT_ONLY_KEYS = ['server', 'trace'] as const;


export interface ApiKeyProvider {
  id: 'anthropic' | 'openai';
  label: string;
  envVar: string;
  /** The SecretStorage key. */
  secret: string;
}

export const API_KEY_PROVIDERS: readonly ApiKeyProvider[] = [
  { id: 'anthropic', label: 'Anthropic', envVar: 'ANTHROPIC_API_KEY', secret: 'freeagent.apiKey.anthropic' },
  { id: 'openai', label: 'OpenAI', envVar: 'OPENAI_API_KEY', secret: 'freeagent.apiKey.openai' },
];

/**
 * The server's environment: the extension host's, with each stored key set. A stored key
 * wins over a variable inherited from the shell (the user set it here on purpose); with no
 * stored key the inherited variable, if any, stays.
 */
export function serverEnv(
  base: Record<string, string | undefined>,
  keys: Partial<Record<ApiKeyProvider['id'], string | undefined>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined) {
      env[name] = value;
    }
  }
  for (const provider of API_KEY_PROVIDERS) {
    const key = keys[provider.id]?.trim();
    if (key) {
      env[provider.envVar] = key;
    }
  }
  return env;
}

/** The languages whose documents the server checks. */
export const LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python'] as const;

/**
 * Glob patterns of the other files whose open-document text the server reads (manifests,
 * configs, OpenAPI documents): edits show in the brief and diagnostics before they are saved.
 */
export function documentPatterns(specGlobs: readonly string[] | undefined): string[] {
  const configs = [
    '**/package.json',
    '**/{tsconfig,jsconfig}*.json',
    '**/pyproject.toml',
    '**/requirements*.txt',
    '**/pnpm-workspace.yaml',
  ];
  const specs = (specGlobs ?? []).filter((g) => g.trim() !== '').map((g) => (g.startsWith('**/') || g.startsWith('/') ? g : `**/${g}`));
  return [...new Set([...configs, ...specs])];
}
