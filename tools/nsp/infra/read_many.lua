-- Reads many Markdown texts in one pandoc process (one start-up, not one per chapter).
-- stdin: JSON array of {text, ast_path}; for each text, writes its AST as JSON to ast_path
-- (via a temporary name, then rename) and prints, as a JSON array, an index of what the
-- checks need: headings, sections, images, links, citations, raw content, anchors, words.
-- A text that fails to parse yields {"error": message} so the caller can name its chapter.
local format = arg[1]
-- Attributes a chapter may set; any other is reported (typst: ones reach the typesetter as code).
local SAFE_ATTRS = { width = true, height = true, lang = true, dir = true }
-- lang and dir pass only with values a writer can use as they are (a language tag; a direction).
local function safe_value(k, v)
  if k == 'lang' then return v:match('^%a%a%a?$') ~= nil or v:match('^%a%a%a?%-[%w%-]+$') ~= nil end
  if k == 'dir' then return v == 'rtl' or v == 'ltr' end
  return true
end
local stringify = pandoc.utils.stringify
local jobs = pandoc.json.decode(io.read('a'), false)

local function index_of(doc)
  local ix = { headers = {}, sections = {}, images = {}, links = {}, cites = {}, raws = {}, anchors = {},
               attrs = {}, noalt = {}, words = 0 }
  local function anchor(el)
    if el.identifier and el.identifier ~= '' then ix.anchors[#ix.anchors + 1] = el.identifier end
    for k, v in pairs(el.attributes or {}) do
      if not SAFE_ATTRS[k] or not safe_value(k, v) then ix.attrs[#ix.attrs + 1] = { k, v } end
    end
  end
  local function raw(el) ix.raws[#ix.raws + 1] = { el.format, el.text } end
  doc.blocks:walk({
    traverse = 'topdown',
    Header = function(el)
      anchor(el)
      ix.headers[#ix.headers + 1] = { el.level, stringify(el.content) }
    end,
    Image = function(el)
      anchor(el)
      ix.images[#ix.images + 1] = el.src
      if stringify(el.caption) == '' then ix.noalt[#ix.noalt + 1] = el.src end  -- caption: the alt text
    end,
    Link = function(el) anchor(el); ix.links[#ix.links + 1] = el.target end,
    Cite = function(el)
      for _, c in ipairs(el.citations) do ix.cites[#ix.cites + 1] = c.id end
    end,
    RawBlock = raw, RawInline = raw,
    Str = function() ix.words = ix.words + 1 end,  -- pandoc splits text into words at spaces
    Div = anchor, Span = anchor, Figure = anchor, Table = anchor, Code = anchor,
    CodeBlock = function(el)
      anchor(el)
      -- An action plan (```actions) is prose a reader sees as a table: its words count.
      if el.classes:includes('actions') then
        for _ in el.text:gmatch('%S+') do ix.words = ix.words + 1 end
      end
    end,
  })
  -- Top-level sections, and whether anything stands under each heading.
  local top = math.huge
  for _, b in ipairs(doc.blocks) do
    if b.t == 'Header' and b.level < top then top = b.level end
  end
  for _, b in ipairs(doc.blocks) do
    if b.t == 'Header' and b.level == top then
      ix.sections[#ix.sections + 1] = { stringify(b.content), false }
    elseif #ix.sections > 0 and (b.t ~= 'Header' or stringify(b) ~= '') then
      ix.sections[#ix.sections][2] = true
    end
  end
  return ix
end

local out = {}
for i, job in ipairs(jobs) do
  local ok, doc = pcall(pandoc.read, job.text, format)
  if ok then
    -- The entry is sealed as nsp/cachefile.py reads it: a header with a digest, then the AST.
    -- A cache that cannot be written costs time, not the run: Python notices the missing entry.
    local json = pandoc.write(doc, 'json')
    local tmp = job.ast_path .. '.tmp'
    local f = io.open(tmp, 'w')
    if f then
      f:write('nsp-cache-1 sha1:' .. pandoc.utils.sha1(json) .. '\n', json)
      f:close()
      if not os.rename(tmp, job.ast_path) then os.remove(tmp) end
    end
    out[i] = pandoc.json.encode(index_of(doc))
  else
    out[i] = pandoc.json.encode({ error = tostring(doc) })
  end
end
io.write('[' .. table.concat(out, ',') .. ']')
