-- wrk script: POST one pre-built form body per request to the URL's path (/token, /introspect), read from a file of
-- bodies (one a line).
-- Usage: wrk -tT ... -s post-bodies.lua URL -- BODIES_FILE T CYCLE AUTHORIZATION
--   Each of the T wrk threads takes every T-th line (its own slice, so no body is sent by two threads).
--   CYCLE=1 starts a thread's slice over when it is used up (refresh tokens stay valid when presented again);
--   CYCLE=0 sends each body once (authorization codes are single-use): a thread that runs out stops and the
--   run is reported as exhausted, since its rate would then understate the server.
-- done() prints "non-2xx: N" (every response outside 200-299) and "exhausted: N" (threads that ran out).

local threads = {}
local count = 0

function setup(thread)
    thread:set("id", count)
    count = count + 1
    table.insert(threads, thread)
end

function init(args)
    local nthreads = tonumber(args[2])
    cycle = args[3] == "1"
    headers = { ["Content-Type"] = "application/x-www-form-urlencoded", ["Authorization"] = args[4] }
    bodies = {}
    local n = 0
    for line in io.lines(args[1]) do
        if n % nthreads == id then bodies[#bodies + 1] = line end
        n = n + 1
    end
    position = 1
    non2xx = 0
    exhausted = 0
    shown = 0
end

function request()
    if position > #bodies then
        if cycle then
            position = 1
        else
            exhausted = 1
            wrk.thread:stop()
            return wrk.format("GET", "/exhausted")
        end
    end
    local body = bodies[position]
    position = position + 1
    return wrk.format("POST", wrk.path, headers, body)
end

function response(status, headers, body)
    if status < 200 or status > 299 then
        non2xx = non2xx + 1
        if shown < 3 then
            shown = shown + 1
            io.stderr:write("non-2xx " .. status .. ": " .. body .. "\n")
        end
    end
end

function done(summary, latency, requests)
    local bad, ran_out = 0, 0
    for _, thread in ipairs(threads) do
        bad = bad + thread:get("non2xx")
        ran_out = ran_out + thread:get("exhausted")
    end
    io.write(string.format("non-2xx: %d\nexhausted: %d\n", bad, ran_out))
end
