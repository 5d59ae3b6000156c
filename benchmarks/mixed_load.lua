-- wrk script of benchmarks/mixed_load.py: each request is one line of the requests file,
-- picked at random (lines are "kind<TAB>Header: value<TAB>/path", weighted by repetition).
-- done() prints one line, "MIXED_LOAD_JSON {...}": latency percentiles, errors, the requests
-- issued per page kind and the answers per HTTP status, summed over wrk's threads.
--
--   wrk -t2 -c50 -d60s -s mixed_load.lua http://127.0.0.1:PORT -- requests.tsv SEED

local threads = {}
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("id", counter)
   table.insert(threads, thread)
end

local requests, kinds = {}, {}
counts = {}   -- per thread, read by done() through thread:get
statuses = {}

function init(args)
   for line in io.lines(args[1]) do
      local kind, name, value, path = line:match("^([^\t]+)\t([^:]+): ([^\t]*)\t(.+)$")
      if kind then
         table.insert(requests, wrk.format("GET", path, {[name] = value}))
         table.insert(kinds, kind)
         counts[kind] = 0
      end
   end
   if #requests == 0 then
      error("no request lines in " .. args[1])
   end
   math.randomseed(tonumber(args[2] or "1") * 1000 + id)
end

function request()
   local i = math.random(#requests)
   counts[kinds[i]] = counts[kinds[i]] + 1
   return requests[i]
end

function response(status, headers, body)
   local key = tostring(status)
   statuses[key] = (statuses[key] or 0) + 1
end

local function merged(name)
   local total = {}
   for _, thread in ipairs(threads) do
      for key, value in pairs(thread:get(name)) do
         total[key] = (total[key] or 0) + value
      end
   end
   return total
end

local function object(values)
   local parts = {}
   for key, value in pairs(values) do
      table.insert(parts, string.format("%q: %d", key, value))
   end
   return "{" .. table.concat(parts, ", ") .. "}"
end

function done(summary, latency, requests_)
   local e = summary.errors
   io.write(string.format(
      'MIXED_LOAD_JSON {"requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
      .. '"latency_us": {"mean": %.1f, "p50": %d, "p90": %d, "p99": %d, "max": %d}, '
      .. '"kinds": %s, "statuses": %s}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      object(merged("counts")), object(merged("statuses"))))
end
