-- BinoAuth gateway filter; runs BEFORE the gRPC-JSON transcoder (see gateway/README.md).
--
-- Request (every request, REST or native gRPC):
--   * drop every client-supplied x-binoauth-* header (but x-binoauth-console) and x-forwarded-host;
--   * x-binoauth-gateway: 1;
--   * x-binoauth-client-ip: the client address Envoy trusts (see xff_num_trusted_hops);
--   * x-forwarded-host: :authority without its port (lower-cased); x-binoauth-authority: with it;
--   * x-binoauth-content-type: the client's Content-Type (application/octet-stream for a body
--     without one), which the transcoder replaces;
--   * /tenant/{id}/rest with id ~ ^[a-z0-9-]+$: :path becomes /rest and x-binoauth-tenant: id
--     (a client's own X-Tenant-ID is left alone: the services rank the path prefix first);
--   * an OPTIONS preflight from a browser to a CORS_PATHS endpoint is answered here (204).
-- Response (REST requests only; a native gRPC client keeps its grpc-status trailers):
--   * x-http-status (service initial metadata) becomes :status, then is dropped;
--   * x-error-json (trailing metadata, or a header for trailers-only errors) replaces the
--     body; a gRPC error without it gets a generic envelope, never the upstream's message
--     (grpc_status.lua, placed after the transcoder, records both in dynamic metadata);
--   * x-ratelimit-* (a service's trailing metadata, services/common/ratelimit/gate.py) become
--     headers;
--   * grpc-status, grpc-message, grpc-status-details-bin, grpc-accept-encoding and
--     x-error-json never reach a REST client.

local META = "binoauth.gateway"   -- dynamic metadata namespace (also the filter's name)
local PREFIX = "x-binoauth-"
-- The one client x-binoauth-* header kept: the admin console's "X-BinoAuth-Console: 1", a CSRF
-- marker the browser sets (a claim of nothing; services/common/context.py CONSOLE_HEADER).
local CONSOLE = "x-binoauth-console"
local RATE_LIMIT_HEADERS = {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"}
local STRIP = {"grpc-status", "grpc-message", "grpc-status-details-bin",
               "grpc-accept-encoding", "x-error-json", "x-http-status"}

local GRPC_CODES = {
  [1] = {"CANCELLED", "request cancelled"},
  [2] = {"UNKNOWN", "request failed"},
  [3] = {"INVALID_ARGUMENT", "invalid argument"},
  [4] = {"DEADLINE_EXCEEDED", "request timed out"},
  [5] = {"NOT_FOUND", "not found"},
  [6] = {"ALREADY_EXISTS", "already exists"},
  [7] = {"PERMISSION_DENIED", "permission denied"},
  [8] = {"RESOURCE_EXHAUSTED", "resource exhausted"},
  [9] = {"FAILED_PRECONDITION", "failed precondition"},
  [10] = {"ABORTED", "aborted"},
  [11] = {"OUT_OF_RANGE", "out of range"},
  [12] = {"UNIMPLEMENTED", "not implemented"},
  [13] = {"INTERNAL", "internal error"},
  [14] = {"UNAVAILABLE", "service unavailable"},
  [15] = {"DATA_LOSS", "internal error"},
  [16] = {"UNAUTHENTICATED", "authentication required"},
}

-- CORS preflight for the endpoints browser code calls (after the tenant prefix is removed).
-- A preflight grants nothing by itself: the token service puts Access-Control-Allow-Origin
-- on an answer only for an origin the application registered (public documents: any).
local CORS_PATHS = {
  ["/oauth2/token"] = true, ["/oauth2/revoke"] = true, ["/oauth2/userinfo"] = true,
  ["/.well-known/openid-configuration"] = true, ["/.well-known/oauth-authorization-server"] = true,
  ["/.well-known/jwks.json"] = true,
}

local function host_without_port(host)
  local h = string.match(host, "^(%[.*%]):%d+$")   -- [v6]:port
  if not h and not string.match(host, "^%[") then
    h = string.match(host, "^([^:]+):%d+$")         -- name:port, v4:port
  end
  return string.lower(h or host)
end

local function json_string(s)
  s = string.gsub(s, '[%c"\\]', function(c)
    if c == '"' then return '\\"' end
    if c == "\\" then return "\\\\" end
    return string.format("\\u%04x", string.byte(c))
  end)
  return '"' .. s .. '"'
end

local function iso_now(h)
  local ms = tonumber(h:timestampString()) or 0
  local secs = math.floor(ms / 1000)
  return os.date("!%Y-%m-%dT%H:%M:%S", secs) .. string.format(".%03dZ", ms % 1000)
end

function envoy_on_request(h)
  local hdrs = h:headers()

  local drop = {}
  for key, _ in pairs(hdrs) do          -- no changes while iterating
    local k = string.lower(key)
    if (string.sub(k, 1, #PREFIX) == PREFIX and k ~= CONSOLE) or k == "x-forwarded-host" then
      drop[#drop + 1] = k
    end
  end
  for _, k in ipairs(drop) do hdrs:remove(k) end

  hdrs:replace("x-binoauth-gateway", "1")
  -- The client address Envoy trusts (TCP peer, or the XFF entry xff_num_trusted_hops allow).
  local peer = h:streamInfo():downstreamRemoteAddress()
  if peer and peer ~= "" then
    hdrs:replace("x-binoauth-client-ip", string.match(peer, "^%[(.*)%]:%d+$")
      or string.match(peer, "^([^:]+):%d+$") or peer)
  end
  local authority = hdrs:get(":authority")
  if authority and authority ~= "" then
    hdrs:replace("x-forwarded-host", host_without_port(authority))
    hdrs:replace("x-binoauth-authority", string.lower(authority))
  end
  -- The transcoder replaces Content-Type with application/grpc; the services' cross-site
  -- check of cookie JSON APIs (services/common/cross_site.py) needs the client's. A body
  -- without one is application/octet-stream (RFC 9110 8.3).
  local client_ct = hdrs:get("content-type")
  if client_ct then
    hdrs:replace("x-binoauth-content-type", client_ct)
  elseif (tonumber(hdrs:get("content-length") or "0") or 0) > 0 or hdrs:get("transfer-encoding") then
    hdrs:replace("x-binoauth-content-type", "application/octet-stream")
  end

  local id, rest = string.match(hdrs:get(":path") or "", "^/tenant/([^/?#]+)(/.*)$")
  if id and string.match(id, "^[a-z0-9%-]+$") then
    hdrs:replace(":path", rest)         -- before the transcoder matches the REST path
    hdrs:replace("x-binoauth-tenant", id)
  end

  if hdrs:get(":method") == "OPTIONS" then
    local origin = hdrs:get("origin")
    local path = string.match(hdrs:get(":path") or "", "^([^?]*)")
    if origin and #origin <= 300 and CORS_PATHS[path] then
      -- Marked as not REST, so the local-reply mapper keeps the (empty) body of this 204
      -- instead of putting an error envelope into it.
      h:streamInfo():dynamicMetadata():set(META, "rest", false)
      h:respond({[":status"] = "204", ["access-control-allow-origin"] = origin,
                 ["access-control-allow-methods"] = "GET, POST",
                 ["access-control-allow-headers"] = "authorization, content-type",
                 ["access-control-max-age"] = "600", ["vary"] = "origin"}, "")
      return
    end
  end

  local ct = hdrs:get("content-type") or ""
  local grpc = string.sub(string.lower(ct), 1, 16) == "application/grpc"
  local md = h:streamInfo():dynamicMetadata()
  md:set(META, "rest", not grpc)
  md:set(META, "request_id", hdrs:get("x-request-id") or "")
end

function envoy_on_response(h)
  local state = h:streamInfo():dynamicMetadata():get(META)
  if not state or not state["rest"] then
    return                              -- native gRPC (or a reply before our request hook)
  end

  local hdrs = h:headers()
  local status = hdrs:get("x-http-status")
  if status and string.match(status, "^[2-5]%d%d$") then
    hdrs:replace(":status", status)
  end
  for _, k in ipairs(STRIP) do hdrs:remove(k) end

  -- The transcoder buffers unary responses anyway: wait for the body and the trailers.
  h:body(true)
  local trailers = h:trailers()
  if trailers then
    for _, k in ipairs(STRIP) do trailers:remove(k) end
  end

  -- Handles die across the yields above: fetch everything again.
  state = h:streamInfo():dynamicMetadata():get(META) or {}
  for _, k in ipairs(RATE_LIMIT_HEADERS) do      -- recorded from trailers by grpc_status.lua
    if state[k] then h:headers():replace(k, state[k]) end
  end
  local error_json = state["error_json"]        -- recorded by grpc_status.lua
  local code = tonumber(state["grpc_status"] or "0") or 2
  if not error_json and code ~= 0 then
    local info = GRPC_CODES[code] or GRPC_CODES[2]
    error_json = '{"error":{"code":"' .. info[1] .. '","message":"' .. info[2] ..
      '","details":{},"timestamp":"' .. iso_now(h) .. '","request_id":' ..
      json_string(state["request_id"] or "") .. "}}"
  end
  local body = h:body()
  if error_json and body then
    body:setBytes(error_json)
    h:headers():replace("content-type", "application/json")
  end
end
