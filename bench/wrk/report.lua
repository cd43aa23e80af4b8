-- Shared by the benchmark's wrk scripts: status counts per thread, and a JSON report at the end.
-- The runner names the report file in BENCH_REPORT.

local threads = {}
statuses = {}

function collect_thread(thread)
  table.insert(threads, thread)
end

function count_status(status)
  statuses[status] = (statuses[status] or 0) + 1
end

local function merged(name)
  local out = {}
  for _, thread in ipairs(threads) do
    local part = thread:get(name) or {}
    for key, value in pairs(part) do
      out[key] = (out[key] or 0) + value
    end
  end
  return out
end

local function object(values)
  local parts = {}
  for key, value in pairs(values) do
    table.insert(parts, string.format('"%s": %d', tostring(key), value))
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

function write_report(summary, latency)
  local path = os.getenv("BENCH_REPORT")
  if not path then return end
  local errors = summary.errors
  local file = assert(io.open(path, "w"))
  file:write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p95": %d, "p99": %d, "mean": %.1f, "max": %d}, ' ..
    '"statuses": %s, "extra": %s}\n',
    summary.requests, summary.duration, summary.bytes,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.mean, latency.max,
    object(merged("statuses")), object(merged("extra"))))
  file:close()
end
