-- wrk -t2 -c8 -d20s -s token-api/bench/password.lua http://127.0.0.1:18080
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "grant_type=password&client_id=demo-mobile&username=alice&password=alice-secret"
