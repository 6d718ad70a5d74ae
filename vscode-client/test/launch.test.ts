// Unit tests of launch.ts: which command starts the server, and what a failed start is told as.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnose, findExecutable, resolveServerCommand, type LaunchContext } from '../src/launch';

function context(files: string[] = [], overrides: Partial<LaunchContext> = {}): LaunchContext {
  return {
    folders: ['/work/app'],
    platform: 'linux',
    env: { PATH: '/usr/local/bin:/usr/bin' },
    home: '/home/me',
    exists: (file) => files.includes(file),
    ...overrides,
  };
}

describe('resolveServerCommand', () => {
  const cases: { name: string; settings: { pythonPath?: string; command?: string[] }; ctx: LaunchContext; expected: object }[] = [
    {
      name: 'default python3 when nothing is configured and there is no .venv',
      settings: {},
      ctx: context(),
      expected: { command: 'python3', args: ['-m', 'freeagent', 'serve'], source: 'default', cwd: '/work/app' },
    },
    {
      name: "the workspace's .venv interpreter",
      settings: { pythonPath: '' },
      ctx: context(['/work/app/.venv/bin/python']),
      expected: { command: '/work/app/.venv/bin/python', args: ['-m', 'freeagent', 'serve'], source: 'venv' },
    },
    {
      name: 'a .venv in the second folder of a multi-root workspace',
      settings: {},
      ctx: context(['/work/api/.venv/bin/python'], { folders: ['/work/app', '/work/api'] }),
      expected: { command: '/work/api/.venv/bin/python', source: 'venv', cwd: '/work/app' },
    },
    {
      name: 'pythonPath wins over the .venv',
      settings: { pythonPath: '/opt/py/bin/python3.11' },
      ctx: context(['/work/app/.venv/bin/python']),
      expected: { command: '/opt/py/bin/python3.11', args: ['-m', 'freeagent', 'serve'], source: 'pythonPath' },
    },
    {
      name: 'pythonPath with ${workspaceFolder}',
      settings: { pythonPath: '${workspaceFolder}/env/bin/python' },
      ctx: context(),
      expected: { command: '/work/app/env/bin/python', source: 'pythonPath' },
    },
    {
      name: 'pythonPath with ~',
      settings: { pythonPath: '~/.pyenv/shims/python' },
      ctx: context(),
      expected: { command: '/home/me/.pyenv/shims/python', source: 'pythonPath' },
    },
    {
      name: 'a relative pythonPath is relative to the first folder',
      settings: { pythonPath: 'venv/bin/python' },
      ctx: context(),
      expected: { command: '/work/app/venv/bin/python', source: 'pythonPath' },
    },
    {
      name: 'a bare interpreter name stays a name (looked up on PATH)',
      settings: { pythonPath: 'python3.12' },
      ctx: context(),
      expected: { command: 'python3.12', source: 'pythonPath' },
    },
    {
      name: 'the command override wins over everything',
      settings: { pythonPath: '/opt/py/bin/python', command: ['freeagent', 'serve', '--stdio'] },
      ctx: context(['/work/app/.venv/bin/python']),
      expected: { command: 'freeagent', args: ['serve', '--stdio'], source: 'command' },
    },
    {
      name: 'an empty command override is no override',
      settings: { command: ['', ' '] },
      ctx: context(),
      expected: { command: 'python3', source: 'default' },
    },
    {
      name: 'Windows: .venv\\Scripts\\python.exe',
      settings: {},
      ctx: context(['C:\\work\\app\\.venv\\Scripts\\python.exe'], { folders: ['C:\\work\\app'], platform: 'win32' }),
      expected: { command: 'C:\\work\\app\\.venv\\Scripts\\python.exe', source: 'venv' },
    },
    {
      name: 'Windows default is python',
      settings: {},
      ctx: context([], { folders: [], platform: 'win32' }),
      expected: { command: 'python', source: 'default', cwd: undefined },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const cmd = resolveServerCommand(c.settings, c.ctx);
      for (const [key, value] of Object.entries(c.expected)) {
        assert.deepEqual(cmd[key as keyof typeof cmd], value, key);
      }
    });
  }
});

describe('findExecutable', () => {
  it('searches PATH for a bare name', () => {
    assert.equal(findExecutable('python3', context(['/usr/bin/python3'])), '/usr/bin/python3');
  });
  it('takes the first PATH entry that has it', () => {
    assert.equal(findExecutable('python3', context(['/usr/bin/python3', '/usr/local/bin/python3'])), '/usr/local/bin/python3');
  });
  it('checks a path as it is', () => {
    assert.equal(findExecutable('/opt/py/bin/python', context(['/opt/py/bin/python'])), '/opt/py/bin/python');
    assert.equal(findExecutable('/opt/py/bin/python', context()), undefined);
  });
  it('is undefined when nothing on PATH has it', () => {
    assert.equal(findExecutable('python3', context()), undefined);
  });
  it('tries PATHEXT on Windows', () => {
    const ctx = context(['C:\\Python311\\python.EXE'], { platform: 'win32', env: { PATH: 'C:\\Windows;C:\\Python311', PATHEXT: '.COM;.EXE' } });
    assert.equal(findExecutable('python', ctx), 'C:\\Python311\\python.EXE');
  });
});

describe('diagnose', () => {
  const python = resolveServerCommand({}, context());
  const venv = resolveServerCommand({}, context(['/work/app/.venv/bin/python']));
  const custom = resolveServerCommand({ command: ['freeagent', 'serve'] }, context());

  it('Python missing: set freeagent.server.pythonPath', () => {
    const d = diagnose(python, { spawnError: 'ENOENT' });
    assert.equal(d.setting, 'freeagent.server.pythonPath');
    assert.match(d.message, /no Python interpreter \('python3'\) was found on PATH/);
    assert.match(d.message, /Set freeagent\.server\.pythonPath/);
  });
  it('a configured interpreter that is not there', () => {
    const cmd = resolveServerCommand({ pythonPath: '/nope/python' }, context());
    assert.match(diagnose(cmd, { spawnError: 'ENOENT' }).message, /'\/nope\/python' was not found or cannot be run \(ENOENT\)/);
  });
  it('package missing: pip install freeagent in that interpreter', () => {
    const d = diagnose(venv, { exitCode: 1, stderr: '/work/app/.venv/bin/python: No module named freeagent\n' });
    assert.equal(d.setting, 'freeagent.server.pythonPath');
    assert.match(d.message, /has no freeagent package \(No module named freeagent\)/);
    assert.match(d.message, /'\/work\/app\/\.venv\/bin\/python -m pip install freeagent'/);
    assert.match(d.message, /pip install freeagent in that interpreter/);
  });
  it('a dependency of freeagent missing', () => {
    const stderr = 'Traceback (most recent call last):\n  ...\nModuleNotFoundError: No module named \'pygls\'\n';
    const d = diagnose(python, { exitCode: 1, stderr });
    assert.match(d.message, /one of its dependencies is missing: ModuleNotFoundError: No module named 'pygls'/);
  });
  it('a command override that cannot be run names its setting', () => {
    const d = diagnose(custom, { spawnError: 'ENOENT' });
    assert.equal(d.setting, 'freeagent.server.command');
    assert.match(d.message, /'freeagent' was not found/);
  });
  it('any other exit quotes the last stderr line and the exit code', () => {
    const d = diagnose(python, { exitCode: 2, stderr: 'usage: freeagent serve\nerror: unrecognized arguments: --x\n' });
    assert.match(d.message, /did not start \(exit code 2\): error: unrecognized arguments: --x/);
  });
});
