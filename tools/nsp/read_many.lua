-- Reads many Markdown texts in one pandoc process (one start-up, not one per chapter).
-- stdin: a JSON array of Markdown strings; stdout: a JSON array of pandoc ASTs.
-- A text that fails to parse yields {"error": message} so the caller can name its chapter.
local texts = pandoc.json.decode(io.read('a'), false)
local format = arg[1]
local out = {}
for i, text in ipairs(texts) do
  local ok, result = pcall(pandoc.read, text, format)
  if ok then
    out[i] = pandoc.write(result, 'json')
  else
    out[i] = pandoc.json.encode({ error = tostring(result) })
  end
end
io.write('[' .. table.concat(out, ',') .. ']')
