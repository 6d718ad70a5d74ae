-- Free Agent in Neovim 0.7+ with the built-in LSP client and no plugins.
-- Use it as your init.lua, or copy it into yours (`:luafile` it, or `require` it from lua/).
-- `freeagent` must be on PATH (or put the full path of your venv's freeagent in `cmd`).

vim.cmd('filetype on')

local M = { clients = {} }

-- The workspace root: the nearest folder (from the file up) with one of these.
local markers = { 'package.json', 'tsconfig.json', 'pyproject.toml', 'openapi.yaml' }

local function root_dir(bufnr)
  local dir = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ':p:h')
  for _, marker in ipairs(markers) do
    local found = vim.fn.findfile(marker, dir .. ';')
    if found ~= '' then
      return vim.fn.fnamemodify(found, ':p:h')
    end
  end
  local git = vim.fn.finddir('.git', dir .. ';')
  return git ~= '' and vim.fn.fnamemodify(git, ':p:h:h') or dir
end

function M.attach(bufnr)
  local root = root_dir(bufnr)
  local id = M.clients[root]
  if id == nil or vim.lsp.get_client_by_id(id) == nil then
    id = vim.lsp.start_client({
      name = 'freeagent',
      cmd = { 'freeagent', 'serve' },
      root_dir = root,
      workspace_folders = { { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ':t') } },
      -- the `freeagent` settings section (see the README's Settings table)
      init_options = { freeagent = { logLevel = 'info' } },
      settings = { freeagent = {} },
      handlers = {
        -- what a command answered: the id of a generation just inserted, for :FreeAgentFeedback
        ['workspace/executeCommand'] = function(_, result)
          M.last_answer = result
          if type(result) == 'table' and type(result.id) == 'string' and (result.applied or result.recorded) then
            M.last_generation = result.id
          end
        end,
      },
    })
    M.clients[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
end

vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python' },
  callback = function(args)
    M.attach(args.buf)
  end,
})

-- Code actions (quick fixes, "Generate … from spec", "Generate with <model>") on <leader>ca,
-- diagnostics of the line on <leader>e.
vim.keymap.set('n', '<leader>ca', vim.lsp.buf.code_action)
vim.keymap.set('n', '<leader>e', vim.diagnostic.open_float)

-- A vote on the code Free Agent last inserted (or on a generation by its id, as
-- `freeagent store list` shows it): :FreeAgentFeedback up|down [note], :FreeAgentFeedback ID up|down [note]
vim.api.nvim_create_user_command('FreeAgentFeedback', function(opts)
  local args = vim.split(opts.args, '%s+', { trimempty = true })
  local id = M.last_generation
  if args[1] ~= 'up' and args[1] ~= 'down' then
    id = table.remove(args, 1)
  end
  local vote = table.remove(args, 1)
  if id == nil or (vote ~= 'up' and vote ~= 'down') then
    vim.notify('FreeAgentFeedback [ID] up|down [note]: nothing inserted yet, or no vote', vim.log.levels.WARN)
    return
  end
  local note = #args > 0 and table.concat(args, ' ') or nil
  vim.lsp.buf.execute_command({ command = 'freeagent.feedback', arguments = { { id = id, vote = vote, note = note } } })
end, { nargs = '+' })

package.loaded.freeagent = M -- require('freeagent') from elsewhere in your config
return M
