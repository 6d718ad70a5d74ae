/**
 * The Free Agent extension: starts `freeagent serve` over stdio and connects VS Code to it.
 *
 * Owns only the VS Code glue: the LanguageClient (its server process, middleware and error
 * handling), the commands, the status bar item, the project-brief documents and the API keys
 * in SecretStorage. Every decision with a rule behind it lives in a pure module with unit
 * tests: launch.ts (which command, what went wrong), settings.ts (what the server gets),
 * generate.ts (markers and the generate argument), status.ts (model label and costs).
 */

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  ExecuteCommandRequest,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { FEEDBACK_COMMAND, FEEDBACK_SECONDS, FeedbackPrompt, insertedGeneration, type FeedbackOffer } from './feedback';
import { DEFAULT_MARKERS, markerTask, planGeneration, undoMarker, wasApplied, type GeneratePlan } from './generate';
import { diagnose, findExecutable, resolveServerCommand, type LaunchContext, type ServerCommand, type StartFailure } from './launch';
import { API_KEY_PROVIDERS, LANGUAGES, SECTION, contributedKeys, documentPatterns, explicitSettings, serverEnv } from './settings';
import { CostTracker, statusView, type LlmSettings, type ServerState, type SessionCostParams } from './status';

const GENERATE_COMMAND = 'freeagent.generate';
const PROJECT_BRIEF_REQUEST = 'freeagent/projectBrief';
const SESSION_COST_NOTIFICATION = 'freeagent/sessionCost';
const BRIEF_SCHEME = 'freeagent-brief';

/** A LanguageClient whose generic "couldn't create connection" toast can be held back while we explain the failure ourselves. */
class FreeAgentClient extends LanguageClient {
  quiet = false;

  override error(message: string, data?: unknown, showNotification: boolean | 'force' = true): void {
    super.error(message, data, this.quiet ? false : showNotification);
  }
}

/** What one spawned server process told us, for explaining a failed start. */
interface ServerProcess {
  child: ChildProcess;
  spawnError?: string;
  stderr: string;
  exited: Promise<number | null>;
}

/** Read-only markdown documents for "Show Project Brief", so the preview has no unsaved file behind it. */
class BriefDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  set(uri: vscode.Uri, markdown: string): void {
    this.texts.set(uri.toString(), markdown);
    this.changed.fire(uri);
  }
}

class FreeAgent implements vscode.Disposable {
  private client: FreeAgentClient | undefined;
  private serverState: ServerState = 'starting';
  private process: ServerProcess | undefined;
  /** start/stop/restart run one at a time, in order. */
  private queue: Promise<void> = Promise.resolve();
  private readonly output = vscode.window.createOutputChannel('Free Agent');
  private readonly status = vscode.window.createStatusBarItem('freeagent.status', vscode.StatusBarAlignment.Right, 100);
  private readonly costs = new CostTracker();
  private readonly feedback = new FeedbackPrompt();
  private readonly feedbackItem = vscode.window.createStatusBarItem('freeagent.feedback', vscode.StatusBarAlignment.Right, 99);
  private feedbackTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly briefs = new BriefDocuments();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext) {
    this.status.name = 'Free Agent';
    this.status.command = {
      title: 'Open Free Agent Settings',
      command: 'workbench.action.openSettings',
      arguments: [`@ext:${context.extension.id}`],
    };
    this.updateStatus();
    this.status.show();
    this.disposables.push(
      this.output,
      this.status,
      vscode.workspace.registerTextDocumentContentProvider(BRIEF_SCHEME, this.briefs),
      vscode.commands.registerCommand('freeagent.generateFromDescription', () => this.generateFromDescription()),
      vscode.commands.registerCommand('freeagent.showProjectBrief', () => this.showProjectBrief()),
      vscode.commands.registerCommand('freeagent.setApiKey', () => this.setApiKey()),
      vscode.commands.registerCommand('freeagent.restartServer', () => this.restart()),
      vscode.commands.registerCommand('freeagent.showOutput', () => this.output.show(true)),
      vscode.commands.registerCommand('freeagent.rateLastGeneration', () => this.rateLastGeneration()),
      this.feedbackItem,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.server`)) {
          void this.restart();
        } else if (e.affectsConfiguration(`${SECTION}.llm`)) {
          this.updateStatus();
        }
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateStatus()),
    );
  }

  start(): Promise<void> {
    return this.enqueue(() => this.doStart());
  }

  /** After an insertion: 👍 / 👎 in the status bar for a while (never a modal). */
  private offerFeedback(offer: FeedbackOffer | undefined): void {
    if (offer === undefined) {
      return;
    }
    this.feedback.offered(offer);
    this.feedbackItem.name = 'Free Agent feedback';
    this.feedbackItem.text = '$(thumbsup) $(thumbsdown)';
    this.feedbackItem.tooltip = `Was the inserted code right?${offer.title ? ` — ${offer.title}` : ''}`;
    this.feedbackItem.command = 'freeagent.rateLastGeneration';
    this.feedbackItem.accessibilityInformation = { label: 'Free Agent: rate the inserted code', role: 'button' };
    this.feedbackItem.show();
    if (this.feedbackTimer !== undefined) {
      clearTimeout(this.feedbackTimer);
    }
    this.feedbackTimer = setTimeout(() => {
      this.feedback.dismiss();
      this.feedbackItem.hide();
    }, FEEDBACK_SECONDS * 1000);
  }

  /** The vote: a quick pick (and an optional note), sent as `freeagent.feedback`. */
  private async rateLastGeneration(): Promise<void> {
    if (this.feedback.pending === undefined) {
      this.feedbackItem.hide();
      return;
    }
    const choice = await vscode.window.showQuickPick(
      [
        { label: '$(thumbsup) Good', vote: 'up' as const },
        { label: '$(thumbsdown) Not good', vote: 'down' as const },
      ],
      { title: 'Free Agent: was the inserted code right?', placeHolder: 'Your vote is kept in the outcome store' },
    );
    if (choice === undefined) {
      return;
    }
    const note = choice.vote === 'down' ? await vscode.window.showInputBox({ prompt: 'What was wrong? (optional)' }) : undefined;
    const argument = this.feedback.vote(choice.vote, note);
    this.feedbackItem.hide();
    if (argument === undefined || this.client === undefined) {
      return;
    }
    try {
      await this.client.sendRequest(ExecuteCommandRequest.type, { command: FEEDBACK_COMMAND, arguments: [argument] });
    } catch (error) {
      this.output.appendLine(`feedback not recorded: ${String(error)}`);
    }
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.doStop());
  }

  restart(): Promise<void> {
    return this.enqueue(async () => {
      await this.doStop();
      await this.doStart();
    });
  }

  dispose(): void {
    void this.stop();
    for (const d of this.disposables) {
      d.dispose();
    }
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(job, job);
    return this.queue;
  }

  // ---------------------------------------------------------------- the server

  private async doStart(): Promise<void> {
    const config = vscode.workspace.getConfiguration(SECTION);
    const ctx: LaunchContext = {
      folders: (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
      platform: process.platform,
      env: process.env,
      home: os.homedir(),
      exists: (file) => fs.existsSync(file),
    };
    const cmd = resolveServerCommand(
      { pythonPath: config.get<string>('server.pythonPath'), command: config.get<string[]>('server.command') },
      ctx,
    );
    this.output.appendLine(`Starting the server: ${[cmd.command, ...cmd.args].join(' ')} (${cmd.source})`);
    const executable = findExecutable(cmd.command, ctx);
    if (executable === undefined) {
      this.setServerState('stopped');
      this.explain(cmd, { spawnError: 'ENOENT' });
      return;
    }
    const env = serverEnv(process.env, await this.apiKeys());
    const serverOptions: ServerOptions = () => this.spawn(executable, cmd, env);

    let initialized = false;
    let initialPush = true;
    const errorHandler: ErrorHandler = {
      error: (error, message, count) => fallbackHandler.error(error, message, count),
      // a server that dies before answering `initialize` will not do better restarted: explain instead
      closed: () => (initialized ? fallbackHandler.closed() : { action: CloseAction.DoNotRestart, handled: true }),
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        ...LANGUAGES.map((language) => ({ scheme: 'file', language })),
        ...documentPatterns(config.get<string[]>('specGlobs')).map((pattern) => ({ scheme: 'file', pattern })),
      ],
      synchronize: { configurationSection: SECTION },
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      errorHandler,
      // no raw "initialize failed" toast: doStart explains the failure with its fix
      initializationFailedHandler: () => false,
      middleware: {
        workspace: {
          // the client pushes the section once right after `initialized`; the server pulls it
          // itself then, and a push racing that pull only makes it read the settings twice
          didChangeConfiguration: (sections, next) => {
            if (initialPush) {
              initialPush = false;
              return Promise.resolve();
            }
            return next(sections);
          },
          // the server pulls `freeagent`: hand it what the user set (not VS Code's defaults, which
          // would hide the workspace's .freeagent.json), without the client's own keys
          configuration: async (params, token, next) => {
            const answers = await next(params, token);
            return Array.isArray(answers)
              ? answers.map((answer: unknown, i) => {
                  const item = params.items[i];
                  if (item?.section !== SECTION) {
                    return answer;
                  }
                  const config = vscode.workspace.getConfiguration(SECTION, item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined);
                  const isSet = (key: string): boolean => {
                    const found = config.inspect(key);
                    return [found?.globalValue, found?.workspaceValue, found?.workspaceFolderValue].some((v) => v !== undefined);
                  };
                  return explicitSettings(contributedKeys(), isSet, (key) => config.get(key));
                })
              : answers;
          },
        },
        executeCommand: async (command, args, next) => {
          if (command !== GENERATE_COMMAND) {
            const answer = (await next(command, args)) as unknown;
            this.offerFeedback(insertedGeneration(command, answer)); // a spec-first action, applied
            return answer;
          }
          this.costs.commandStarted();
          this.updateStatus();
          let result: unknown;
          try {
            result = await next(command, args);
            return result;
          } finally {
            this.costs.commandFinished(result);
            this.updateStatus();
            this.offerFeedback(insertedGeneration(command, result));
          }
        },
      },
    };
    const client = new FreeAgentClient('freeagent', 'Free Agent', serverOptions, clientOptions);
    const fallbackHandler = client.createDefaultErrorHandler(4);
    client.onNotification(SESSION_COST_NOTIFICATION, (params: SessionCostParams) => {
      this.costs.onNotification(params);
      this.updateStatus();
    });
    client.onDidChangeState((e) => {
      if (e.newState === State.Starting) {
        initialPush = true; // the client restarts a crashed server: it will push again
      } else if (e.newState === State.Stopped) {
        this.costs.serverStopped();
      }
      this.setServerState(e.newState === State.Running ? 'running' : e.newState === State.Starting ? 'starting' : 'stopped');
    });
    this.client = client;
    client.quiet = true;
    try {
      await client.start();
    } catch {
      // explained below; the client has logged the error
    } finally {
      client.quiet = false;
    }
    // start() can also resolve without a running server (when the connection closes first)
    initialized = client.isRunning();
    if (!initialized) {
      const proc = this.process;
      const exitCode = proc ? await Promise.race([proc.exited, delay(2000).then(() => undefined)]) : undefined;
      if (proc && proc.child.exitCode === null && proc.child.signalCode === null) {
        proc.child.kill(); // it answered `initialize` with an error but lives on
      }
      this.setServerState('stopped');
      this.explain(cmd, { spawnError: proc?.spawnError, exitCode, stderr: proc?.stderr });
    }
  }

  private spawn(executable: string, cmd: ServerCommand, env: Record<string, string>): Promise<ChildProcess> {
    return new Promise((resolve, reject) => {
      const child = spawn(executable, cmd.args, { cwd: cmd.cwd, env });
      const proc: ServerProcess = {
        child,
        stderr: '',
        exited: new Promise((done) => child.once('exit', (code) => done(code))),
      };
      this.process = proc;
      // the client copies stderr to the output; keep its tail to explain a failed start
      child.stderr?.on('data', (data: Buffer) => {
        proc.stderr = (proc.stderr + data.toString('utf8')).slice(-4000);
      });
      child.once('spawn', () => resolve(child));
      child.once('error', (error: NodeJS.ErrnoException) => {
        proc.spawnError = error.code ?? error.message;
        reject(error);
      });
    });
  }

  private async doStop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client !== undefined && client.state !== State.Stopped) { // one that failed to start has nothing to stop
      try {
        await client.dispose();
      } catch (error) {
        this.output.appendLine(`Stopping the server failed: ${String(error)}`);
      }
    }
    this.costs.serverStopped();
    this.setServerState('stopped');
  }

  private explain(cmd: ServerCommand, failure: StartFailure): void {
    const diagnosis = diagnose(cmd, failure);
    this.output.appendLine(diagnosis.message);
    void vscode.window.showErrorMessage(diagnosis.message, 'Open Setting', 'Show Output').then((choice) => {
      if (choice === 'Open Setting') {
        void vscode.commands.executeCommand('workbench.action.openSettings', diagnosis.setting);
      } else if (choice === 'Show Output') {
        this.output.show(true);
      }
    });
  }

  /** The running client, or undefined after telling the user it is not running. */
  private async runningClient(): Promise<FreeAgentClient | undefined> {
    await this.queue;
    if (this.client?.state === State.Running) {
      return this.client;
    }
    void vscode.window.showErrorMessage("Free Agent's server is not running.", 'Restart Server', 'Show Output').then((choice) => {
      if (choice === 'Restart Server') {
        void this.restart();
      } else if (choice === 'Show Output') {
        this.output.show(true);
      }
    });
    return undefined;
  }

  // ---------------------------------------------------------------- API keys

  private async apiKeys(): Promise<Record<string, string | undefined>> {
    const keys: Record<string, string | undefined> = {};
    for (const provider of API_KEY_PROVIDERS) {
      keys[provider.id] = await this.context.secrets.get(provider.secret);
    }
    return keys;
  }

  private async setApiKey(): Promise<void> {
    const items = await Promise.all(API_KEY_PROVIDERS.map(async (provider) => ({
      label: provider.label,
      description: (await this.context.secrets.get(provider.secret))
        ? 'a key is stored'
        : process.env[provider.envVar] ? `using ${provider.envVar} from the environment` : 'no key',
      provider,
    })));
    const picked = await vscode.window.showQuickPick(items, { title: 'Free Agent: Set API Key', placeHolder: 'Which provider?' });
    if (picked === undefined) {
      return;
    }
    const { provider } = picked;
    const key = await vscode.window.showInputBox({
      title: `${provider.label} API key`,
      prompt: `Kept in VS Code's secret storage and given to the server as ${provider.envVar}. Leave empty to remove the stored key.`,
      password: true,
      ignoreFocusOut: true,
    });
    if (key === undefined) {
      return;
    }
    if (key.trim() === '') {
      await this.context.secrets.delete(provider.secret);
      void vscode.window.showInformationMessage(`Free Agent: the stored ${provider.label} key was removed; restarting the server.`);
    } else {
      await this.context.secrets.store(provider.secret, key.trim());
      void vscode.window.showInformationMessage(`Free Agent: ${provider.label} key stored; restarting the server.`);
    }
    await this.restart();
  }

  // ---------------------------------------------------------------- commands

  private async generateFromDescription(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (editor === undefined || editor.document.uri.scheme !== 'file') {
      void vscode.window.showWarningMessage('Free Agent: open a TypeScript, JavaScript or Python file of the workspace first.');
      return;
    }
    const document = editor.document;
    const line = editor.selection.active.line;
    const markers = vscode.workspace.getConfiguration(SECTION, document.uri).get<string[]>('markers') ?? DEFAULT_MARKERS;
    const existing = markerTask(document.lineAt(line).text, markers);
    const task = await vscode.window.showInputBox({
      title: 'Free Agent: Generate from Description',
      prompt: existing !== undefined
        ? 'The code replaces the marker comment on this line.'
        : `The code goes at line ${line + 1}.`,
      placeHolder: 'e.g. slugify a task title',
      value: existing,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() === '' ? 'Describe the code to generate.' : undefined),
    });
    if (task === undefined || task.trim() === '' || (await this.runningClient()) === undefined) {
      return;
    }
    const plan = planGeneration(document.uri.toString(), task, line, document.lineAt(line).text, document.languageId, markers);
    if (plan.marker !== undefined) {
      const marker = plan.marker;
      const eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
      const written = await editor.edit((edit) => marker.replacesLine
        ? edit.replace(document.lineAt(line).range, marker.text)
        : edit.insert(new vscode.Position(line, 0), marker.text + eol));
      if (!written) {
        void vscode.window.showErrorMessage('Free Agent: the document could not be edited.');
        return;
      }
    }
    let result: unknown;
    try {
      // the server runs the pipeline under a cancellable progress and applies the edit itself
      result = await vscode.commands.executeCommand(GENERATE_COMMAND, plan.argument);
    } finally {
      if (!wasApplied(result)) {
        await this.takeBackMarker(document, plan);
      }
    }
  }

  private async takeBackMarker(document: vscode.TextDocument, plan: GeneratePlan): Promise<void> {
    const line = plan.argument.line;
    const action = undoMarker(plan, line < document.lineCount ? document.lineAt(line).text : undefined);
    if (action === 'leave' || plan.marker === undefined) {
      return;
    }
    const edit = new vscode.WorkspaceEdit();
    if (action === 'delete-line') {
      edit.delete(document.uri, new vscode.Range(line, 0, line + 1, 0));
    } else {
      edit.replace(document.uri, document.lineAt(line).range, plan.marker.original);
    }
    await vscode.workspace.applyEdit(edit);
  }

  private async showProjectBrief(): Promise<void> {
    const client = await this.runningClient();
    if (client === undefined) {
      return;
    }
    const active = vscode.window.activeTextEditor?.document.uri;
    const uri = active?.scheme === 'file' ? active : vscode.workspace.workspaceFolders?.[0]?.uri;
    let brief: { uri: string; markdown: string };
    try {
      brief = await client.sendRequest<{ uri: string; markdown: string }>(PROJECT_BRIEF_REQUEST, uri ? { uri: uri.toString() } : {});
    } catch (error) {
      void vscode.window.showErrorMessage(`Free Agent: no project brief: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    const folder = path.posix.basename(vscode.Uri.parse(brief.uri).path) || 'workspace';
    const doc = vscode.Uri.from({ scheme: BRIEF_SCHEME, path: `/${folder}/Project brief.md` });
    this.briefs.set(doc, brief.markdown);
    try {
      await vscode.commands.executeCommand('markdown.showPreview', doc);
    } catch {
      // the built-in markdown extension is disabled: show the text
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(doc), { preview: true });
    }
  }

  // ---------------------------------------------------------------- status bar

  private setServerState(state: ServerState): void {
    this.serverState = state;
    this.updateStatus();
  }

  private updateStatus(): void {
    const scope = vscode.window.activeTextEditor?.document.uri;
    const llm = vscode.workspace.getConfiguration(SECTION, scope).get<LlmSettings>('llm');
    const view = statusView(llm, this.costs, this.serverState);
    this.status.text = view.text;
    this.status.tooltip = view.tooltip;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

let extension: FreeAgent | undefined;

export function activate(context: vscode.ExtensionContext): void {
  extension = new FreeAgent(context);
  context.subscriptions.push(extension);
  void extension.start();
}

export async function deactivate(): Promise<void> {
  await extension?.stop();
  extension = undefined;
}
