-- Unknown-JSON-field check; runs after filter.lua and before the gRPC-JSON transcoder.
-- render.py inlines this file after a generated `local SCHEMA = {...}` (json_fields.py).
--
-- The transcoder silently drops JSON keys that the request message does not have. For a REST
-- request whose binding takes a JSON body, this filter walks the body and answers 400
-- (INVALID_ARGUMENT envelope via local_reply_config) naming the first unknown key. Anything
-- it cannot parse is left to the transcoder, which reports malformed JSON itself.

local find, sub, byte, char = string.find, string.sub, string.byte, string.char
local MAX_DEPTH = 64

local function skip_ws(s, i)
  local _, e = find(s, "^[ \t\r\n]*", i)
  return e + 1
end

local function utf8(cp)
  if cp < 0x80 then return char(cp) end
  if cp < 0x800 then return char(0xC0 + math.floor(cp / 0x40), 0x80 + cp % 0x40) end
  return char(0xE0 + math.floor(cp / 0x1000), 0x80 + math.floor(cp / 0x40) % 0x40, 0x80 + cp % 0x40)
end

local ESCAPES = {[34] = '"', [92] = "\\", [47] = "/", [98] = "\b", [102] = "\f",
                 [110] = "\n", [114] = "\r", [116] = "\t"}

-- s[i] is '"'. Returns the decoded string and the index after the closing quote, or nil.
local function read_string(s, i)
  local parts, j = {}, i + 1
  while true do
    local a = find(s, '["\\]', j)
    if not a then return nil end
    parts[#parts + 1] = sub(s, j, a - 1)
    if byte(s, a) == 34 then
      return table.concat(parts), a + 1
    end
    local e = byte(s, a + 1)
    if e == 117 then                    -- \uXXXX (a surrogate decodes to garbage: unknown key)
      local hex = sub(s, a + 2, a + 5)
      if not find(hex, "^%x%x%x%x$") then return nil end
      parts[#parts + 1] = utf8(tonumber(hex, 16))
      j = a + 6
    elseif e and ESCAPES[e] then
      parts[#parts + 1] = ESCAPES[e]
      j = a + 2
    else
      return nil
    end
  end
end

local walk_value

-- Returns the next index, or nil plus the dotted path of an unknown key (nil alone: malformed).
local function walk_object(s, i, node, path, depth)
  local keys, map_value = nil, nil
  if sub(node, 1, 4) == "map:" then
    map_value = sub(node, 5)
  elseif node ~= "" then
    keys = SCHEMA.messages[node]
  end
  i = skip_ws(s, i + 1)
  if byte(s, i) == 125 then return i + 1 end
  while true do
    if byte(s, i) ~= 34 then return nil end
    local key
    key, i = read_string(s, i)
    if not key then return nil end
    i = skip_ws(s, i)
    if byte(s, i) ~= 58 then return nil end
    local child = ""
    if map_value then
      child = map_value
    elseif keys then
      child = keys[key]
      if child == nil then return nil, path .. key end
    end
    local unknown
    i, unknown = walk_value(s, skip_ws(s, i + 1), child, path .. key .. ".", depth + 1)
    if not i then return nil, unknown end
    i = skip_ws(s, i)
    local c = byte(s, i)
    if c == 44 then
      i = skip_ws(s, i + 1)
    elseif c == 125 then
      return i + 1
    else
      return nil
    end
  end
end

local function walk_array(s, i, node, path, depth)
  i = skip_ws(s, i + 1)
  if byte(s, i) == 93 then return i + 1 end
  while true do
    local unknown
    i, unknown = walk_value(s, i, node, path, depth + 1)
    if not i then return nil, unknown end
    i = skip_ws(s, i)
    local c = byte(s, i)
    if c == 44 then
      i = skip_ws(s, i + 1)
    elseif c == 93 then
      return i + 1
    else
      return nil
    end
  end
end

walk_value = function(s, i, node, path, depth)
  if depth > MAX_DEPTH then return nil end
  local c = byte(s, i)
  if c == 123 then return walk_object(s, i, node, path, depth) end
  if c == 91 then return walk_array(s, i, node, path, depth) end
  if c == 34 then
    local _, j = read_string(s, i)
    return j
  end
  local _, e = find(s, "^[%w%.%+%-]+", i)  -- number, true, false, null
  if not e then return nil end
  return e + 1
end

local function binding_for(method, path)
  for _, b in ipairs(SCHEMA.bindings) do   -- most literal characters first
    if b.method == method and find(path, b.pattern) then return b end
  end
  return nil
end

function envoy_on_request(h)
  local hdrs = h:headers()
  local ct = string.lower(hdrs:get("content-type") or "")
  if sub(ct, 1, 16) == "application/grpc" then return end
  local path = string.match(hdrs:get(":path") or "", "^[^?]*")
  local b = binding_for(hdrs:get(":method") or "", path)
  if not b then return end

  local body = h:body()                  -- bounded by body_size_limit, which runs first
  if not body or body:length() == 0 then return end
  local s = body:getBytes(0, body:length())
  local i, unknown = walk_value(s, skip_ws(s, 1), b.body, "", 0)
  if not i and unknown then
    if #unknown > 100 then unknown = sub(unknown, 1, 100) .. "..." end
    h:respond({[":status"] = "400"}, 'unknown field "' .. unknown .. '"')
  end
end
