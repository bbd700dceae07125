-- Writes many pandoc documents (JSON) to typst markup in one pandoc process.
-- stdin: JSON array of JSON-encoded documents; stdout: JSON array of typst strings.
-- Citations are already formatted by citeproc: -citations keeps typst from re-citing them natively.
local docs = pandoc.json.decode(io.read('a'), false)
local out = {}
for i, text in ipairs(docs) do
  out[i] = pandoc.json.encode(pandoc.write(pandoc.read(text, 'json'), 'typst-citations'))
end
io.write('[' .. table.concat(out, ',') .. ']')
