-- Drives a headless Neovim 0.7 through Free Agent's editor flow and writes what happened to
-- $FREEAGENT_NVIM_RESULT as JSON: the diagnostics seen, the code actions offered at the TODO,
-- and whether the spec-first action's edit was applied and the buffer written.
local out = { diagnostics = {}, actions = {}, applied = false, errors = {} }
local function done()
  local f = io.open(os.getenv('FREEAGENT_NVIM_RESULT'), 'w')
  f:write(vim.fn.json_encode(out))
  f:close()
  vim.cmd('qa!')
end
local function fail(message)
  table.insert(out.errors, message)
  done()
end

local bufnr = vim.api.nvim_get_current_buf()
if not vim.wait(30000, function() return next(vim.lsp.buf_get_clients(bufnr)) ~= nil end, 50) then
  return fail('no language client attached to the buffer')
end
local client = select(2, next(vim.lsp.buf_get_clients(bufnr)))

-- 1. Free Agent's diagnostics arrive (pushed on open)
local function ours()
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == 'freeagent' then
      table.insert(found, { code = d.code, line = d.lnum, message = d.message })
    end
  end
  return found
end
if not vim.wait(30000, function() return #ours() > 0 end, 50) then
  return fail('no Free Agent diagnostics')
end
out.diagnostics = ours()

-- 2. code actions at the TODO (context from the line's diagnostics: 0.7's vim.diagnostic items
--    lack the LSP range)
local todo
for number, text in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
  if text:match('TODO: list comments for a task') then todo = number - 1 end
end
if todo == nil then return fail('no TODO in the buffer') end
vim.api.nvim_win_set_cursor(0, { todo + 1, 3 })
local params = vim.lsp.util.make_range_params()
params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, todo) }
local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 20000)
local chosen
for _, response in pairs(responses or {}) do
  for _, action in ipairs(response.result or {}) do
    table.insert(out.actions, action.title)
    if chosen == nil and action.title:match('^Generate handler for listComments') then chosen = action end
  end
end
if chosen == nil then return fail('no spec-first action at the TODO') end

-- 3. resolve (the edit is computed lazily), apply, write
if chosen.edit == nil then
  local resolved = client.request_sync('codeAction/resolve', chosen, 20000, bufnr)
  if resolved == nil or resolved.result == nil then return fail('codeAction/resolve gave nothing') end
  chosen = resolved.result
end
vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
vim.cmd('write')
out.applied = true

-- 4. the action's command (the editor runs it after the edit: the generation was applied), then
--    a vote on it with the README's :FreeAgentFeedback
if chosen.command then
  vim.lsp.buf.execute_command(chosen.command)
  local fa = require('freeagent')
  if not vim.wait(20000, function() return fa.last_generation ~= nil end, 50) then
    return fail('the applied command answered no generation id')
  end
  out.generation = fa.last_generation
  local before = fa.last_answer
  vim.cmd('FreeAgentFeedback up reads well')
  if not vim.wait(20000, function() return fa.last_answer ~= before end, 50) then
    return fail('freeagent.feedback did not answer')
  end
  out.feedback = fa.last_answer
end
done()
