-- Runs AFTER the gRPC-JSON transcoder (so it sees the raw gRPC response first). render.py
-- inlines this file into the bootstrap; filter.lua reads what it records.
--
-- For transcoded (REST) requests it records the upstream's grpc-status and x-error-json
-- (trailers-only: headers; otherwise: trailers) in dynamic metadata "binoauth.gateway".
-- The transcoder drops grpc-status from a trailers-only error, so filter.lua alone could not
-- tell an upstream error without x-error-json from any other response.

local META = "binoauth.gateway"

function envoy_on_response(h)
  local state = h:streamInfo():dynamicMetadata():get(META)
  if not state or not state["rest"] then
    return
  end
  local hdrs = h:headers()
  local status = hdrs:get("grpc-status")
  local error_json = hdrs:get("x-error-json")
  if not status then
    local trailers = h:trailers()       -- unary: waits for the end of the response
    if trailers then
      status = trailers:get("grpc-status")
      error_json = error_json or trailers:get("x-error-json")
    end
  end
  local md = h:streamInfo():dynamicMetadata()   -- re-fetch: handles die across yields
  if status then md:set(META, "grpc_status", status) end
  if error_json then md:set(META, "error_json", error_json) end
end
