-- Writes with real sessions and CSRF tokens: replies, complaint filings, staff status changes.
--
-- The runner logs in real accounts and writes their session cookies and tokens, the target
-- threads and cases, and the texts to BENCH_DATA (tab-separated lines). BENCH_MIX weighs the
-- kinds ("reply:7,file:1,step:2"). A staff step must carry the case version it saw, so each
-- wrk thread owns its own cases, tracks their versions from the answers (a 302 to
-- /t/<id>#case means the step was taken), alternates assign and plan so every step is a
-- real status change, and never has two requests for one case in flight.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")

local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_index", counter)
  collect_thread(thread)
end

extra = {}
local members, staff, threads, filings, texts, cases, by_case = {}, {}, {}, {}, {}, {}, {}
local mix, total_weight = {}, 0
local user_agent, plan_date, plan_note, location_text
local turn = 0

local function fields(line)
  local out = {}
  for part in string.gmatch(line, "[^\t]+") do table.insert(out, part) end
  return out
end

local function bump(name)
  extra[name] = (extra[name] or 0) + 1
end

function init(args)
  local count = tonumber(os.getenv("BENCH_THREADS") or "1")
  user_agent = os.getenv("BENCH_UA")
  plan_date = os.getenv("BENCH_PLAN_DATE")
  local own = 0
  for line in io.lines(os.getenv("BENCH_DATA")) do
    local f = fields(line)
    local kind = f[1]
    if kind == "session" then
      local session = {cookie = f[3], csrf = f[4]}
      if f[2] == "staff" then table.insert(staff, session) else table.insert(members, session) end
    elseif kind == "reply" then table.insert(threads, f[2])
    elseif kind == "filing" then
      table.insert(filings, {community = f[2], category = f[3], title = f[4], body = f[5],
                             outcome = f[6]})
    elseif kind == "text" then table.insert(texts, f[2])
    elseif kind == "note" then plan_note = f[2]
    elseif kind == "place" then location_text = f[2]
    elseif kind == "case" then
      own = own + 1
      if own % count == thread_index - 1 then  -- each wrk thread keeps its own cases
        -- Assigning an assigned case to the same department changes no column, so its
        -- version would stay: such a case starts with the plan step instead.
        local case = {id = f[2], thread = f[3], version = tonumber(f[4]), department = f[5],
                      next = (f[6] == "assigned") and "plan" or "assign", busy = false}
        table.insert(cases, case)
        by_case[case.id] = case
      end
    end
  end
  for part in string.gmatch(os.getenv("BENCH_MIX") or "reply:1", "[^,]+") do
    local name, weight = string.match(part, "(%w+):(%d+)")
    total_weight = total_weight + tonumber(weight)
    table.insert(mix, {name = name, upto = total_weight})
  end
  math.randomseed(thread_index * 7919)
end

local function headers(session)
  return {["Cookie"] = session.cookie, ["User-Agent"] = user_agent,
          ["Content-Type"] = "application/x-www-form-urlencoded"}
end

local function pick(list)
  turn = turn + 1
  return list[(turn + thread_index) % #list + 1]
end

local function free_case()
  for _ = 1, #cases do
    local case = pick(cases)
    if not case.busy then return case end
  end
  return nil
end

local function reply()
  local session = pick(members)
  local body = "csrf_token=" .. session.csrf .. "&body=" .. pick(texts)
  return wrk.format("POST", "/t/" .. pick(threads) .. "/reply", headers(session), body)
end

local function file()
  local session, filing = pick(members), pick(filings)
  local body = "csrf_token=" .. session.csrf .. "&title=" .. filing.title ..
    "&category_id=" .. filing.category .. "&body=" .. filing.body ..
    "&location=public&location_text=" .. location_text .. "&unit_text=" ..
    "&wanted_outcome=" .. filing.outcome .. "&stage="
  return wrk.format("POST", "/c/" .. filing.community .. "/complaints/new", headers(session),
                    body)
end

local function step()
  local case = free_case()
  if case == nil then
    bump("no_free_case")
    return reply()
  end
  case.busy = true
  local session, action = pick(staff), case.next
  local p = action .. "-"
  local body = "step=" .. action .. "&" .. p .. "csrf_token=" .. session.csrf ..
    "&" .. p .. "version=" .. case.version
  if action == "assign" then
    body = body .. "&" .. p .. "department_id=" .. case.department .. "&" .. p .. "handler_id="
  else
    body = body .. "&" .. p .. "committed_date=" .. plan_date .. "&" .. p .. "note=" .. plan_note
  end
  return wrk.format("POST", "/cases/" .. case.id .. "/steps", headers(session), body)
end

local makers = {reply = reply, file = file, step = step}

function request()
  local roll = math.random(total_weight)
  for _, entry in ipairs(mix) do
    if roll <= entry.upto then return makers[entry.name]() end
  end
end

function response(status, headers, body)
  count_status(status)
  if status == 302 then
    local location = headers["Location"] or headers["location"] or ""
    if string.find(location, "#case", 1, true) then
      bump("step_ok")
      local thread = string.match(location, "/t/(%d+)")
      for _, case in ipairs(cases) do
        if case.thread == thread and case.busy then
          case.version = case.version + 1
          case.next = (case.next == "assign") and "plan" or "assign"
          case.busy = false
          break
        end
      end
    elseif string.find(location, "#p", 1, true) then
      bump("reply_ok")
    else
      bump("file_ok")
    end
    return
  end
  -- A refused step shows the case again: take its current version from the page.
  local id = body and string.match(body, 'action="/cases/(%d+)/steps"')
  local case = id and by_case[id]
  if case and case.busy then
    bump("step_resync")
    case.version = tonumber(string.match(body, 'name="assign%-version" value="(%d+)"')) or
      case.version
    -- Only an assigned case offers "plan" without "dispatch": plan it; else assign it.
    local assigned = string.find(body, 'name="plan-version"', 1, true) and
      not string.find(body, 'name="dispatch-version"', 1, true)
    case.next = assigned and "plan" or "assign"
    case.busy = false
  end
end

function done(summary, latency, requests)
  write_report(summary, latency)
end
