-- wrk script: a booking load against POST /api/appointments (scripts/bench runs it).
--
-- Each request books as a random bench patient (a token from BENCH_TOKENS, one per line) with a
-- random professional from BENCH_PROS (lines "user_id service_id", in bench order) at a random
-- start on the 30-minute grid between 08:00 and 20:00 Europe/Madrid, 1 to BENCH_DAYS days after
-- today. Local times become instants with BENCH_UTC_OFFSET_MINUTES (Madrid's offset now; a DST
-- change inside the range shifts the later days by an hour, which the server answers with 422).
--
-- Professionals: the first BENCH_PRO_COUNT lines. The first BENCH_HOT of them get
-- BENCH_HOT_SHARE of the requests (0 = uniform).
--
-- Requests are written out directly from lines built once per thread (every start time, every
-- token's Authorization line), which keeps the client's own CPU per request low on a machine
-- it shares with the server and PostgreSQL.
--
-- done() prints one line: "BENCH_RESULT key=value ..." with the status counts, latency
-- percentiles in ms and wrk's socket errors, and writes the ids of the appointments answered
-- 201 to BENCH_ACKS (one per line) so the database can be checked for lost acknowledgements.
-- It also prints "BENCH_STATUS <status> <count>" lines and one "BENCH_LATENCY_MS" line with
-- the latency spectrum (p50 to p99.9 and the maximum).

local function env_number(name, default)
  local v = os.getenv(name)
  if v == nil or v == "" then return default end
  return tonumber(v)
end

local function read_lines(path)
  local out = {}
  local f = assert(io.open(path, "r"), "cannot open " .. tostring(path))
  for line in f:lines() do
    if line ~= "" then out[#out + 1] = line end
  end
  f:close()
  return out
end

local threads = {}

function setup(thread)
  thread:set("thread_number", #threads + 1)
  threads[#threads + 1] = thread
end

-- Every start the scenario can draw, built once: day 1..BENCH_DAYS, 08:00..19:30 local.
local function all_starts(days, local_midnight, offset)
  local out = {}
  for day = 1, days do
    for half_hour = 0, 23 do
      local t = local_midnight + day * 86400 + (8 * 60 + 30 * half_hour) * 60 - offset
      out[#out + 1] = os.date("!%Y-%m-%dT%H:%M:%SZ", t)
    end
  end
  return out
end

function init(args)
  math.randomseed(os.time() * 1000 + thread_number)
  tokens = read_lines(os.getenv("BENCH_TOKENS"))
  pros = {}
  for _, line in ipairs(read_lines(os.getenv("BENCH_PROS"))) do
    local user, service = line:match("^(%S+)%s+(%S+)$")
    pros[#pros + 1] = { user = user, service = service }
  end
  pro_count = math.min(env_number("BENCH_PRO_COUNT", #pros), #pros)
  hot = math.min(env_number("BENCH_HOT", 0), pro_count)
  hot_share = env_number("BENCH_HOT_SHARE", 0)
  days = env_number("BENCH_DAYS", 14)
  offset = env_number("BENCH_UTC_OFFSET_MINUTES", 60) * 60
  local local_now = os.time() + offset
  local_midnight = local_now - local_now % 86400  -- today 00:00 local, on a UTC scale
  statuses = {}
  acks = {}
  starts = all_starts(days, local_midnight, offset)
  head = "POST /api/appointments HTTP/1.1\r\nHost: " .. wrk.headers["Host"] ..
         "\r\nContent-Type: application/json\r\n"
  auth_lines = {}
  for i, token in ipairs(tokens) do auth_lines[i] = "Authorization: Bearer " .. token .. "\r\n" end
end

local function pick_professional()
  if hot > 0 and hot < pro_count and math.random() < hot_share then
    return pros[math.random(1, hot)]
  elseif hot > 0 and hot < pro_count then
    return pros[math.random(hot + 1, pro_count)]
  end
  return pros[math.random(1, pro_count)]
end

-- The request is written out directly: the fixed lines once, then per request only the
-- patient's token line, the length and the body (wrk.format would rebuild every line).
function request()
  local pro = pick_professional()
  local body = '{"professionalId":"' .. pro.user .. '","serviceId":"' .. pro.service ..
               '","startTime":"' .. starts[math.random(1, #starts)] .. '","modality":"in_person"}'
  return head .. auth_lines[math.random(1, #auth_lines)] .. "Content-Length: " .. #body ..
         "\r\n\r\n" .. body
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 201 then
    local id = body:match('"id":"([%x%-]+)"')
    if id then acks[#acks + 1] = id end
  end
end

function done(summary, latency, requests)
  local total, ids = {}, {}
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("statuses")) do total[status] = (total[status] or 0) + n end
    for _, id in ipairs(t:get("acks")) do ids[#ids + 1] = id end
  end
  local other = 0
  for status, n in pairs(total) do
    if status ~= 201 and status ~= 409 and status ~= 422 then other = other + n end
  end
  local path = os.getenv("BENCH_ACKS")
  if path and path ~= "" then
    local f = assert(io.open(path, "w"))
    for _, id in ipairs(ids) do f:write(id, "\n") end
    f:close()
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_s=%.3f s201=%d s409=%d s422=%d other=%d acks=%d " ..
    "p50_ms=%.2f p99_ms=%.2f socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, total[201] or 0, total[409] or 0, total[422] or 0,
    other, #ids, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout))
  for status, n in pairs(total) do io.write(string.format("BENCH_STATUS %d %d\n", status, n)) end
  local spectrum = {}
  for _, q in ipairs({50, 75, 85, 90, 95, 99, 99.9}) do
    spectrum[#spectrum + 1] = string.format("p%s=%.1f", q, latency:percentile(q) / 1000)
  end
  io.write("BENCH_LATENCY_MS ", table.concat(spectrum, " "),
           string.format(" max=%.1f\n", latency.max / 1000))
end
