-- wrk script: an availability read load (scripts/bench runs it). Each request reads the free
-- slots of a random professional among the first BENCH_PRO_COUNT lines of BENCH_PROS
-- ("user_id service_id") for BENCH_RANGE_DAYS days from tomorrow (Europe/Madrid dates, with
-- BENCH_UTC_OFFSET_MINUTES). No token: the endpoint is public. With BENCH_SEQUENTIAL=1 each
-- thread walks the professionals in order instead (scripts/bench warms every calendar this way).
--
-- done() prints "BENCH_RESULT requests=... s200=... other=... p50_ms=... p99_ms=...".

local function env_number(name, default)
  local v = os.getenv(name)
  if v == nil or v == "" then return default end
  return tonumber(v)
end

local threads = {}

function setup(thread)
  thread:set("thread_number", #threads + 1)
  threads[#threads + 1] = thread
end

function init(args)
  math.randomseed(os.time() * 1000 + thread_number)
  pros = {}
  local f = assert(io.open(os.getenv("BENCH_PROS"), "r"))
  for line in f:lines() do
    local user, service = line:match("^(%S+)%s+(%S+)$")
    if user then pros[#pros + 1] = { user = user, service = service } end
  end
  f:close()
  pro_count = math.min(env_number("BENCH_PRO_COUNT", #pros), #pros)
  local range = env_number("BENCH_RANGE_DAYS", 7)
  local offset = env_number("BENCH_UTC_OFFSET_MINUTES", 60) * 60
  local local_now = os.time() + offset
  local tomorrow = local_now - local_now % 86400 + 86400
  from = os.date("!%Y-%m-%d", tomorrow)
  to = os.date("!%Y-%m-%d", tomorrow + (range - 1) * 86400)
  statuses = {}
  sequential = env_number("BENCH_SEQUENTIAL", 0) == 1
  next_pro = (thread_number - 1) * 997
end

function request()
  local pro
  if sequential then
    next_pro = next_pro % pro_count + 1
    pro = pros[next_pro]
  else
    pro = pros[math.random(1, pro_count)]
  end
  return wrk.format("GET", string.format("/api/appointments/availability/%s?serviceId=%s&from=%s&to=%s",
    pro.user, pro.service, from, to))
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("statuses")) do total[status] = (total[status] or 0) + n end
  end
  local other = 0
  for status, n in pairs(total) do
    if status ~= 200 then other = other + n end
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_s=%.3f s200=%d other=%d p50_ms=%.2f p99_ms=%.2f " ..
    "socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, total[200] or 0, other,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout))
end
