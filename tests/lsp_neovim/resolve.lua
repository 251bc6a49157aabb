-- Drives `yamerge lsp` from Neovim's own LSP client, as a user would: open
-- a conflicted file, wait for the server's diagnostics, pick "Take
-- incoming" on the first conflict and "Merge structurally" from the code
-- action menu (vim.ui.select, answered here), write the file and quit.
-- Works with Neovim 0.7 (Debian bookworm's), which has no vim.lsp.start.
--
-- Environment: YAMERGE_BIN (the server), YAMERGE_NVIM_FILE (the file),
-- YAMERGE_NVIM_LOG (where progress and failures are written).

local log_path = os.getenv('YAMERGE_NVIM_LOG')

local function note(message)
  local f = io.open(log_path, 'a')
  f:write(message .. '\n')
  f:close()
end

local function fail(message)
  note('FAIL: ' .. message)
  vim.cmd('cquit! 1')
end

local function wait(what, condition)
  if not vim.wait(20000, condition, 20) then
    fail('timed out waiting for ' .. what())
  end
end

vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('YAMERGE_NVIM_FILE')))
local bufnr = vim.api.nvim_get_current_buf()

local config = {
  name = 'yamerge',
  cmd = { os.getenv('YAMERGE_BIN'), 'lsp' },
  root_dir = vim.fn.fnamemodify(os.getenv('YAMERGE_NVIM_FILE'), ':h'),
}
local client_id
if vim.lsp.start then
  client_id = vim.lsp.start(config)
else
  client_id = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(bufnr, client_id)
end
note('nvim ' .. tostring(vim.version().major) .. '.' .. tostring(vim.version().minor)
  .. '.' .. tostring(vim.version().patch) .. ', client ' .. tostring(client_id))

local function wait_for_diagnostics(count)
  wait(function()
    return count .. ' diagnostics (have ' .. #vim.diagnostic.get(bufnr) .. ')'
  end, function()
    return #vim.diagnostic.get(bufnr) == count
  end)
end

-- Chooses the code action titled `title` at `line` (1-based) from the menu
-- Neovim shows, and waits for the buffer to change.
local function code_action(title, line)
  vim.api.nvim_win_set_cursor(0, { line, 0 })
  local tick = vim.api.nvim_buf_get_changedtick(bufnr)
  local offered = {}
  vim.ui.select = function(items, _, on_choice)
    for _, item in ipairs(items) do
      -- 0.7 to 0.9 give {client_id, action}; later versions {action = …}.
      local action = item.action or item[2]
      table.insert(offered, action.title)
      if action.title == title then
        on_choice(item)
        return
      end
    end
    on_choice(nil)
  end
  vim.lsp.buf.code_action()
  wait(function()
    return title .. ' to change the buffer (offered: ' .. table.concat(offered, ', ') .. ')'
  end, function()
    return vim.api.nvim_buf_get_changedtick(bufnr) ~= tick
  end)
  note('applied ' .. title)
end

wait_for_diagnostics(2)
code_action('Take incoming', 3)
wait_for_diagnostics(1)
code_action('Merge structurally', 1)
wait_for_diagnostics(0)
vim.cmd('write')
note('written')

vim.lsp.stop_client(client_id)
wait(function() return 'the server to stop' end, function()
  return vim.lsp.get_client_by_id(client_id) == nil
end)
vim.cmd('qall!')
