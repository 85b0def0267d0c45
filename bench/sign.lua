-- wrk script: POST a form with a distinct email per request, count 302 answers per thread.
-- Usage: wrk -s bench/sign.lua URL -- <csrf-token>
local threads = {}
counter = 0
id = 0
accepted = 0  -- globals: done() reads them from each thread
local token = "benchbenchbenchbenchbenchbench12"

function setup(thread)
  id = id + 1
  thread:set("id", id)
  table.insert(threads, thread)
end

function init(args)
  if args[1] then token = args[1] end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = "csrftoken=" .. token
  wrk.headers["Referer"] = wrk.scheme .. "://" .. wrk.host .. ":" .. wrk.port .. "/"
end

function request()
  counter = counter + 1
  local email = "t" .. id .. "n" .. counter .. "@bench.example"
  wrk.body = "csrfmiddlewaretoken=" .. token .. "&name=Bench+Signer&country=FR&email=" ..
    email .. "&website=&source="
  return wrk.format()
end

function response(status, headers, body)
  if status == 302 then accepted = accepted + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("accepted") end
  io.write(string.format("ACCEPTED %d\n", total))
  io.write(string.format("P99_US %d\n", latency:percentile(99)))
end
