-- wrk script: refresh grants. Each thread takes its share of refresh tokens from TG_TOKENS (one per line),
-- uses each once, and puts the rotated token from the answer back in its queue. Counts answers with tokens.
-- env: TG_PATH, TG_CLIENT, TG_TOKENS (file)
local path = os.getenv("TG_PATH") or "/oauth2/token"
local client = os.getenv("TG_CLIENT") or "bench-mobile"
local file = os.getenv("TG_TOKENS")
local threads = {}
local queue = {}
local head, tail = 1, 0
ok = 0
starved = 0

function setup(thread)
  thread:set("id", #threads)
  thread:set("nthreads", 0)
  table.insert(threads, thread)
end

function init(args)
  local n = 0
  local total = 0
  for _ in pairs(threads) do total = total + 1 end
  local i = 0
  for line in io.lines(file) do
    if line ~= "" then
      if i % nthreads_hint() == id then
        tail = tail + 1
        queue[tail] = line
      end
      i = i + 1
    end
  end
end

function nthreads_hint()
  return tonumber(os.getenv("TG_THREADS") or "2")
end

function request()
  local token
  if head <= tail then
    token = queue[head]
    queue[head] = nil
    head = head + 1
  else
    starved = starved + 1
    token = "starved"
  end
  local body = "grant_type=refresh_token&client_id=" .. client .. "&refresh_token=" .. token
  return wrk.format("POST", path, {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end

function response(status, headers, body)
  if status == 200 then
    local rt = string.match(body, "\"refresh_token\"%s*:%s*\"([^\"]+)\"")
    if rt and string.find(body, "\"access_token\"", 1, true) then
      ok = ok + 1
      tail = tail + 1
      queue[tail] = rt
    end
  end
end

function done(summary, latency, requests)
  local total_ok, total_starved = 0, 0
  for _, t in ipairs(threads) do
    total_ok = total_ok + t:get("ok")
    total_starved = total_starved + t:get("starved")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT ok=%d requests=%d starved=%d ok_per_s=%.1f p50_ms=%.2f p99_ms=%.2f\n",
    total_ok, summary.requests, total_starved, total_ok / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
