-- Chained refresh grants: one connection per thread (-c equal to -t); each thread logs in once, then
-- every request presents the refresh token of the previous answer (true rotation, no reuse).
-- wrk -t2 -c2 -d20s -s token-api/bench/refresh.lua http://127.0.0.1:18080
local token = nil
request = function()
  local body
  if token == nil then
    body = "grant_type=password&client_id=demo-mobile&username=bob&password=bob-secret"
  else
    body = "grant_type=refresh_token&client_id=demo-mobile&refresh_token=" .. token
  end
  return wrk.format("POST", "/oauth2/token", {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
response = function(status, headers, body)
  local t = string.match(body, '"refresh_token":"([^"]+)"')
  if status == 200 and t then token = t else token = nil end
end
