-- wrk script: password grants rotating over N users userNNNN / pw-NNNN; counts only answers that carry tokens.
-- env: TG_PATH (token endpoint path), TG_CLIENT (client_id), TG_USERS (number of users, default 1000)
local path = os.getenv("TG_PATH") or "/oauth2/token"
local client = os.getenv("TG_CLIENT") or "bench-mobile"
local users = tonumber(os.getenv("TG_USERS") or "1000")
local threads = {}
local counter = 0
ok = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = id * 7919
end

function request()
  counter = counter + 1
  local i = (counter % users) + 1
  local body = string.format("grant_type=password&client_id=%s&username=user%04d&password=pw-%04d", client, i, i)
  return wrk.format("POST", path, {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end

function response(status, headers, body)
  if status == 200 and string.find(body, "\"access_token\"", 1, true) then
    ok = ok + 1
  end
end

function done(summary, latency, requests)
  local total_ok = 0
  for _, t in ipairs(threads) do
    total_ok = total_ok + t:get("ok")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT ok=%d requests=%d errors=%d ok_per_s=%.1f p50_ms=%.2f p99_ms=%.2f\n",
    total_ok, summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    total_ok / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
