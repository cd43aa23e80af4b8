-- GET one address (given on wrk's command line, headers with -H); counts statuses.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")

extra = {}

function setup(thread)
  collect_thread(thread)
end

function response(status, headers, body)
  count_status(status)
end

function done(summary, latency, requests)
  write_report(summary, latency)
end
