-- The redline, for Word and for typst. nsp has pointed each image it may read at its data (Word) or at a
-- staged copy (typst); any other is left out, its caption kept once, in italics. For typst, pandoc's insertion and deletion spans become calls of the
-- two functions the redline's preamble defines (review/redlinepdf.py): only these fixed words are raw
-- typst; everything the chapter says stays content that pandoc's typst writer escapes.
local CALLS = { insertion = "#nsp-ins[", deletion = "#nsp-del[" }

local function left_out(caption)
  local words = { pandoc.Str("Figure"), pandoc.Space(), pandoc.Str("(not shown):"), pandoc.Space() }
  for _, inline in ipairs(caption) do
    table.insert(words, inline)
  end
  return pandoc.Emph(words)
end

local function readable(src)
  return src:sub(1, 5) == "data:" or src:sub(1, 6) == "media/"
end

function Figure(el)
  local shown = false
  el:walk({ Image = function(img) shown = shown or readable(img.src) end })
  if not shown then
    return pandoc.Para({ left_out(pandoc.utils.blocks_to_inlines(el.caption.long)) })
  end
end

function Image(el)
  if not readable(el.src) then
    return left_out(el.caption)
  end
end

function Span(el)
  if not FORMAT:match("typst") then
    return nil
  end
  for class, call in pairs(CALLS) do
    if el.classes:includes(class) then
      local out = { pandoc.RawInline("typst", call) }
      for _, inline in ipairs(el.content) do
        table.insert(out, inline)
      end
      table.insert(out, pandoc.RawInline("typst", "]"))
      return out
    end
  end
end

-- A link to a place in the paper (a figure, a section) has nowhere to go in a one-chapter redline.
function Link(el)
  if el.target:sub(1, 1) == "#" then
    return el.content
  end
end

-- A cross-reference (@fig-…, see nsp/crossref.py) is numbered in a paper, not in one chapter: the redline
-- names what it points to. Citations of bibliography keys are left to citeproc.
local KINDS = { fig = "Figure", tbl = "Table", sec = "Section", ch = "Chapter" }

function Cite(el)
  local out = {}
  for i, c in ipairs(el.citations) do
    local kind = KINDS[c.id:match("^(%a+)%-.")]
    if not kind then
      return nil
    end
    if i > 1 then
      table.insert(out, pandoc.Str(";"))
      table.insert(out, pandoc.Space())
    end
    table.insert(out, pandoc.Str(kind))
    table.insert(out, pandoc.Space())
    table.insert(out, pandoc.Str("‹" .. c.id .. "›"))
  end
  return out
end
