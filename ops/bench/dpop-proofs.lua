-- wrk script for DPoP-bound tokens: every request carries the next line of its thread's own file
-- (args[1] .. "." .. thread number, lines "<access token> <proof>", made by DpopProofFiles) as
-- "Authorization: DPoP <token>" and "DPoP: <proof>". Each proof is sent once; a thread that runs out starts
-- its file again, and the gateway refuses those replays (they show as non-2xx: make more proofs).
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("slice", counter)
end

local tokens, proofs = {}, {}
local i = 0

function init(args)
  for line in io.lines(args[1] .. "." .. slice) do
    local sp = line:find(" ", 1, true)
    if sp then
      tokens[#tokens + 1] = line:sub(1, sp - 1)
      proofs[#proofs + 1] = line:sub(sp + 1)
    end
  end
end

function request()
  i = i % #proofs + 1
  return wrk.format("GET", "/mobile/bench", { ["Authorization"] = "DPoP " .. tokens[i], ["DPoP"] = proofs[i] })
end

function done(summary, latency, requests)
  local non2xx = (summary.errors.status or 0)
  io.write(string.format("non2xx=%d\n", non2xx))
end
