-- Serves the admin console (/console/...) and the API reference page (/api/v1/reference...)
-- from files on disk, inside Envoy: no extra server or container, same origin as the API.
-- gateway/render.py prepends `local ROOT = "<dir>"`; ROOT holds console/ (Vite's build:
-- index.html + assets/<name>-<hash>.<ext>) and reference/ (Swagger UI + its initialiser).
-- The filter is disabled except on the routes render.py gives it (static_routes), so it costs
-- nothing on API requests. Anything it does not answer falls through to the route's own 404.
--
--   /console/assets/<file>  the file, immutable for a year (its name changes with its bytes)
--   /console[/anything]     index.html, revalidated every time (the SPA routes deep links)
--   /api/v1/reference[/]    reference/index.html; /api/v1/reference/<file> that file
-- Every answer carries a strict CSP ('self' only, no inline script), nosniff, no framing.

local TYPES = {
  js = "text/javascript; charset=utf-8", mjs = "text/javascript; charset=utf-8",
  css = "text/css; charset=utf-8", html = "text/html; charset=utf-8",
  json = "application/json", svg = "image/svg+xml", png = "image/png", ico = "image/x-icon",
  woff2 = "font/woff2", txt = "text/plain; charset=utf-8",
}
local CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " ..
            "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; " ..
            "frame-ancestors 'none'; form-action 'self'"
local IMMUTABLE = "public, max-age=31536000, immutable"
local REVALIDATE = "no-cache"

-- Hashed assets never change under their name: kept per worker after the first read
-- (bounded by the size of one build). index.html and the reference page are read each time,
-- so that a rebuild shows without restarting Envoy.
local cache = {}

local function read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local body = f:read("*a")
  f:close()
  return body
end

-- One path segment of safe characters: no "..", no "/", no encoded anything.
local function safe_name(name)
  return name ~= nil and string.match(name, "^[%w][%w._-]*$") ~= nil and not string.find(name, "..", 1, true)
end

-- Envoy buffers a Lua answer whole, within the listener's 1 MiB per-connection limit: bigger
-- files go out only as their .gz copy (console/scripts/compress.mjs writes one for each text file).
local MAX_PLAIN = 1000 * 1000

local function accepts_gzip(handle)
  local accept = string.lower(handle:headers():get("accept-encoding") or "")
  return string.find(accept, "gzip", 1, true) ~= nil
end

-- Answers ``file`` (gzip-encoded when the client takes it and a .gz copy exists); false when
-- there is no such file.
local function serve(handle, file, cache_control, keep)
  local encoding = nil
  local body = nil
  if accepts_gzip(handle) then
    body = cache[file .. ".gz"] or read(file .. ".gz")
    if body then
      encoding = "gzip"
      if keep then cache[file .. ".gz"] = body end
    end
  end
  if not body then
    body = cache[file] or read(file)
    if not body then return false end
    if keep then cache[file] = body end
  end
  local ext = string.match(file, "%.([%w]+)$") or ""
  local headers = {
    [":status"] = "200",
    ["content-type"] = TYPES[ext] or "application/octet-stream",
    ["cache-control"] = cache_control,
    ["vary"] = "accept-encoding",
    ["content-security-policy"] = CSP,
    ["x-content-type-options"] = "nosniff",
    ["x-frame-options"] = "DENY",
    ["referrer-policy"] = "same-origin",
    ["cross-origin-opener-policy"] = "same-origin",
  }
  if encoding then
    headers["content-encoding"] = encoding
  elseif #body > MAX_PLAIN then
    handle:respond({[":status"] = "406", ["vary"] = "accept-encoding"}, "this file is served gzip-encoded only")
    return true
  end
  handle:respond(headers, body)
  return true
end

function envoy_on_request(handle)
  local path = string.match(handle:headers():get(":path") or "", "^[^?#]*")
  local asset = string.match(path, "^/console/assets/(.+)$")
  if asset then
    if safe_name(asset) then serve(handle, ROOT .. "/console/assets/" .. asset, IMMUTABLE, true) end
    return
  end
  if path == "/console" or string.match(path, "^/console/") then
    serve(handle, ROOT .. "/console/index.html", REVALIDATE, false)
    return
  end
  local name = string.match(path, "^/api/v1/reference/?(.*)$")
  if name == nil then return end
  if name == "" then name = "index.html" end
  if safe_name(name) then serve(handle, ROOT .. "/reference/" .. name, REVALIDATE, false) end
end
