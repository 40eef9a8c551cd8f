-- wrk script: a public directory search load (scripts/bench search runs it). Each request is
-- one of a mix of searches over the demo directory (mundoctor seed-demo): free text (with
-- accents and typos), city, specialty, rating, fee and modality filters, radius searches around
-- Spanish cities sorted by distance, every SQL sort, featured, and pages 1..BENCH_SEARCH_PAGES.
-- The mix has thousands of distinct queries, so within a 10 s run most requests miss the
-- directory cache. No token: the endpoints are public. Availability-based searches
-- (available_on, next_available) are not part of the mix. BENCH_SEARCH_KIND=1..8 sends only
-- one kind of search (see search_target), to see which one dominates the latency.
--
-- done() prints "BENCH_RESULT requests=... duration_s=... s200=... other=... p50_ms=...
-- p90_ms=... p99_ms=... socket_errors=...".

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

local texts = { "traumatologia", "TRAUMATOLOG%C3%8DA", "traumatologa", "pediatria", "dermatologo",
  "cardiologia", "psicologia", "fisioterapia", "garcia", "lopez%20martinez", "teleconsulta",
  "primera%20consulta", "ginecologia", "nutricion", "odontologia", "logopeda", "maria", "javier" }
local cities = { "Madrid", "Barcelona", "Valencia", "Sevilla", "Zaragoza", "M%C3%A1laga", "malaga",
  "Bilbao", "Murcia", "Palma", "Alicante", "C%C3%B3rdoba", "Valladolid", "Vigo", "Granada" }
local specialties = { "medicina-general", "pediatria", "cardiologia", "dermatologia",
  "ginecologia", "traumatologia", "psicologia", "fisioterapia", "oftalmologia", "neurologia" }
local points = { { 40.4168, -3.7038 }, { 41.3874, 2.1686 }, { 37.3891, -5.9845 },
  { 39.4699, -0.3763 }, { 43.2630, -2.9350 }, { 36.7213, -4.4214 } }
local sorts = { "rating", "consultation_fee", "experience_years" }

local function pick(list) return list[math.random(1, #list)] end

local function search_target()
  local page = math.random(1, pages)
  local kind = only_kind or math.random(1, 8)
  local q
  if kind == 1 then
    q = "q=" .. pick(texts)
  elseif kind == 2 then
    q = "q=" .. pick(texts) .. "&city=" .. pick(cities)
  elseif kind == 3 then
    q = "city=" .. pick(cities) .. "&specialty_id=" .. pick(specialties) .. "&sort_by=" .. pick(sorts)
  elseif kind == 4 then
    q = string.format("rating_min=%.1f&consultation_fee_max=%d&modality=%s", 3 + math.random() * 2,
      math.random(40, 100), math.random(1, 2) == 1 and "virtual" or "in_person")
  elseif kind == 5 then
    local p = pick(points)
    q = string.format("lat=%.4f&lng=%.4f&radius_km=%d&sort_by=distance", p[1], p[2],
      math.random(2, 50))
  elseif kind == 6 then
    q = "specialty_id=" .. pick(specialties) .. "&sort_by=" .. pick(sorts) .. "&sort_order=asc"
  elseif kind == 7 then
    return string.format("/api/patients/search/featured?page=%d", page)
  else
    q = "sort_by=" .. pick(sorts)
  end
  return string.format("/api/professionals/search?%s&page=%d", q, page)
end

function init(args)
  math.randomseed(os.time() * 1000 + thread_number)
  pages = env_number("BENCH_SEARCH_PAGES", 5)
  only_kind = env_number("BENCH_SEARCH_KIND", nil)
  statuses = {}
end

function request()
  return wrk.format("GET", search_target())
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
    "BENCH_RESULT requests=%d duration_s=%.3f s200=%d other=%d p50_ms=%.2f p90_ms=%.2f " ..
    "p99_ms=%.2f socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, total[200] or 0, other,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout))
end
