-- The redline, for Word and for typst. Figures are left out (the redline reads no files), their
-- captions kept once, in italics. For typst, pandoc's insertion and deletion spans become calls of the
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

function Figure(el)
  return pandoc.Para({ left_out(pandoc.utils.blocks_to_inlines(el.caption.long)) })
end

function Image(el)
  return left_out(el.caption)
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
