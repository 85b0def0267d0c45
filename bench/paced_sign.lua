-- wrk script: sign with a distinct email per request, the submission time (ms since the
-- epoch) in the address, paced to a rate when one is given; count 302 answers.
-- Usage: wrk -s bench/paced_sign.lua URL -- <csrf-token> <rate per second or 0> <connections>
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_usec; } timeval;
int gettimeofday(timeval *tv, void *tz);
]]
local now = ffi.new("timeval")
local threads = {}
counter = 0
id = 0
accepted = 0  -- globals: done() reads them from each thread
local token = "benchbenchbenchbenchbenchbench12"
local pause = 0

function setup(thread)
  id = id + 1
  thread:set("id", id)
  table.insert(threads, thread)
end

function init(args)
  token = args[1]
  local rate, connections = tonumber(args[2]), tonumber(args[3])
  if rate > 0 then pause = connections * 1000 / rate end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = "csrftoken=" .. token
  wrk.headers["Referer"] = wrk.scheme .. "://" .. wrk.host .. ":" .. wrk.port .. "/"
end

function delay()
  return pause
end

function request()
  counter = counter + 1
  ffi.C.gettimeofday(now, nil)
  local ms = tonumber(now.tv_sec) * 1000 + math.floor(tonumber(now.tv_usec) / 1000)
  local email = "t" .. id .. "n" .. counter .. "s" .. ms .. "@bench.example"
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
