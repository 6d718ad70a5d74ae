/**
 * How the server is started, and what to tell the user when it cannot be.
 *
 * Owns the choice of command (`freeagent.server.command`, else `<python> -m freeagent serve`
 * with `freeagent.server.pythonPath`, else the workspace's `.venv` interpreter, else
 * `python3`), finding an executable on PATH before spawning it, and turning a failed start
 * (spawn error, exit code, stderr) into one message that names the fix and the setting that
 * holds it. Pure: no `vscode` import, so it is unit-tested under plain Node.
 */

import * as path from 'node:path';

export interface LaunchSettings {
  pythonPath?: string;
  command?: string[];
}

export interface LaunchContext {
  /** File-system paths of the workspace folders, first one first. */
  folders: string[];
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  home: string;
  exists(file: string): boolean;
}

export interface ServerCommand {
  command: string;
  args: string[];
  /** Where the command came from: the user's whole command, their interpreter, the workspace's .venv, or the default. */
  source: 'command' | 'pythonPath' | 'venv' | 'default';
  /** The working directory for the server: the first workspace folder. */
  cwd?: string;
}

export const SERVE_ARGS = ['-m', 'freeagent', 'serve'];
export const PYTHON_SETTING = 'freeagent.server.pythonPath';
export const COMMAND_SETTING = 'freeagent.server.command';

/** Expand `${workspaceFolder}`, `${userHome}` and a leading `~`; resolve a relative path against the first folder. */
export function expandPath(value: string, ctx: LaunchContext): string {
  const folder = ctx.folders[0];
  let out = value.trim()
    .replace(/\$\{workspaceFolder\}/g, folder ?? '')
    .replace(/\$\{userHome\}/g, ctx.home);
  if (out === '~' || out.startsWith('~/') || out.startsWith('~\\')) {
    out = ctx.home + out.slice(1);
  }
  const pathApi = ctx.platform === 'win32' ? path.win32 : path.posix;
  const looksLikePath = out.includes('/') || out.includes('\\');
  if (looksLikePath && !pathApi.isAbsolute(out) && folder !== undefined) {
    out = pathApi.join(folder, out);
  }
  return out;
}

export function venvPython(folder: string, platform: NodeJS.Platform): string {
  return platform === 'win32'
    ? path.win32.join(folder, '.venv', 'Scripts', 'python.exe')
    : path.posix.join(folder, '.venv', 'bin', 'python');
}

export function resolveServerCommand(settings: LaunchSettings, ctx: LaunchContext): ServerCommand {
  const cwd = ctx.folders[0];
  const command = (settings.command ?? []).filter((part) => part.trim() !== '');
  if (command.length > 0) {
    const [program, ...args] = command;
    return { command: expandPath(program, ctx), args: args.map((a) => a.replace(/\$\{workspaceFolder\}/g, cwd ?? '')), source: 'command', cwd };
  }
  if (settings.pythonPath && settings.pythonPath.trim() !== '') {
    return { command: expandPath(settings.pythonPath, ctx), args: [...SERVE_ARGS], source: 'pythonPath', cwd };
  }
  for (const folder of ctx.folders) {
    const candidate = venvPython(folder, ctx.platform);
    if (ctx.exists(candidate)) {
      return { command: candidate, args: [...SERVE_ARGS], source: 'venv', cwd };
    }
  }
  return { command: ctx.platform === 'win32' ? 'python' : 'python3', args: [...SERVE_ARGS], source: 'default', cwd };
}

/** The executable a command name or path refers to (searching PATH, and PATHEXT on Windows), if it exists. */
export function findExecutable(command: string, ctx: LaunchContext): string | undefined {
  const pathApi = ctx.platform === 'win32' ? path.win32 : path.posix;
  const extensions = ctx.platform === 'win32'
    ? ['', ...(ctx.env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean)]
    : [''];
  const candidates = command.includes('/') || command.includes('\\')
    ? [command]
    : (ctx.env.PATH ?? ctx.env.Path ?? '').split(pathApi.delimiter).filter(Boolean).map((dir) => pathApi.join(dir, command));
  for (const candidate of candidates) {
    for (const ext of extensions) {
      if (ctx.exists(candidate + ext)) {
        return candidate + ext;
      }
    }
  }
  return undefined;
}

export interface StartFailure {
  /** `code` of the spawn error (ENOENT, EACCES …), when the process never ran. */
  spawnError?: string;
  exitCode?: number | null;
  /** What the process wrote to stderr (the tail is enough). */
  stderr?: string;
}

export interface Diagnosis {
  message: string;
  /** The setting that fixes it; the notification's button opens it. */
  setting: string;
}

function shown(cmd: ServerCommand): string {
  return [cmd.command, ...cmd.args].join(' ');
}

/** One notification's worth of explanation for a server that did not start. */
export function diagnose(cmd: ServerCommand, failure: StartFailure): Diagnosis {
  const stderr = failure.stderr ?? '';
  if (cmd.source === 'command') {
    if (failure.spawnError !== undefined) {
      return {
        message: `Free Agent could not start the server: '${cmd.command}' was not found or cannot be run (${failure.spawnError}). Fix ${COMMAND_SETTING}, or clear it to use a Python interpreter.`,
        setting: COMMAND_SETTING,
      };
    }
    return {
      message: `Free Agent's server command '${shown(cmd)}' did not start${exitText(failure)}${lastLine(stderr)}. Check ${COMMAND_SETTING} and the Free Agent output.`,
      setting: COMMAND_SETTING,
    };
  }
  if (failure.spawnError !== undefined) {
    const where = cmd.source === 'default'
      ? `no Python interpreter ('${cmd.command}') was found on PATH`
      : `the Python interpreter '${cmd.command}' was not found or cannot be run (${failure.spawnError})`;
    return {
      message: `Free Agent could not start: ${where}. Set ${PYTHON_SETTING} to a Python 3.11+ interpreter that has freeagent installed.`,
      setting: PYTHON_SETTING,
    };
  }
  if (/No module named '?freeagent'?(\s|$)/.test(stderr)) {
    return {
      message: `Free Agent could not start: the interpreter '${cmd.command}' has no freeagent package (No module named freeagent). pip install freeagent in that interpreter ('${cmd.command} -m pip install freeagent'), or set ${PYTHON_SETTING} to one that has it.`,
      setting: PYTHON_SETTING,
    };
  }
  if (/No module named /.test(stderr)) {
    return {
      message: `Free Agent could not start: freeagent is installed in '${cmd.command}' but one of its dependencies is missing${lastLine(stderr)}. Reinstall it: '${cmd.command} -m pip install --force-reinstall freeagent'.`,
      setting: PYTHON_SETTING,
    };
  }
  return {
    message: `Free Agent's server ('${shown(cmd)}') did not start${exitText(failure)}${lastLine(stderr)}. See the Free Agent output; ${PYTHON_SETTING} chooses the interpreter.`,
    setting: PYTHON_SETTING,
  };
}

function exitText(failure: StartFailure): string {
  return failure.exitCode === undefined || failure.exitCode === null ? '' : ` (exit code ${failure.exitCode})`;
}

function lastLine(stderr: string): string {
  const line = stderr.trim().split(/\r?\n/).pop()?.trim();
  return line ? `: ${line}` : '';
}
