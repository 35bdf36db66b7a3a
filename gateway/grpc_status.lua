-- Runs AFTER the gRPC-JSON transcoder (so it sees the raw gRPC response first). render.py
-- inlines this file into the bootstrap; filter.lua reads what it records.
--
-- For transcoded (REST) requests it records the upstream's grpc-status and x-error-json
-- (trailers-only: headers; otherwise: trailers) in dynamic metadata "binoauth.gateway".
-- The transcoder drops grpc-status from a trailers-only error, so filter.lua alone could not
-- tell an upstream error without x-error-json from any other response.
--
-- The services send a request's rate-limit state (services/common/ratelimit/gate.py) as
-- trailing metadata, which costs them nothing extra; it is recorded here too (x-ratelimit-*)
-- and filter.lua makes it REST response headers (headers can no longer change here: this
-- filter does not hold the response body back).

local META = "binoauth.gateway"
local RATE_LIMIT_TRAILERS = {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"}

function envoy_on_response(h)
  local state = h:streamInfo():dynamicMetadata():get(META)
  if not state or not state["rest"] then
    return
  end
  local hdrs = h:headers()
  local status = hdrs:get("grpc-status")
  local error_json = hdrs:get("x-error-json")
  local limits = {}
  if not status then
    local trailers = h:trailers()       -- unary: waits for the end of the response
    if trailers then
      status = trailers:get("grpc-status")
      error_json = error_json or trailers:get("x-error-json")
      for _, k in ipairs(RATE_LIMIT_TRAILERS) do
        limits[k] = trailers:get(k)
      end
    end
  end
  local md = h:streamInfo():dynamicMetadata()   -- re-fetch: handles die across yields
  for k, v in pairs(limits) do md:set(META, k, v) end
  if status then md:set(META, "grpc_status", status) end
  if error_json then md:set(META, "error_json", error_json) end
end
