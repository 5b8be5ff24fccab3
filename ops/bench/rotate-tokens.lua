-- wrk script: every request carries the next of N distinct valid access tokens (one per line in args[1]).
local tokens = {}
local i = 0

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then tokens[#tokens + 1] = line end
  end
  i = math.random(#tokens)
end

function request()
  i = i % #tokens + 1
  return wrk.format("GET", "/mobile/bench", { ["Authorization"] = "Bearer " .. tokens[i] })
end

function done(summary, latency, requests)
  local non2xx = (summary.errors.status or 0)
  io.write(string.format("non2xx=%d\n", non2xx))
end
