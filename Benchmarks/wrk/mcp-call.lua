-- wrk script: POST `tools/call whoami` in one MCP session, each request with an id no other request uses
-- (thread number and a counter), as a conforming client numbers them.
-- Usage: wrk ... -s mcp-call.lua URL -- TOKEN SESSION_ID
-- done() prints "non-2xx: N" and "errors: N" (2xx answers that carry a JSON-RPC error instead of a result).

local threads = {}
local count = 0

function setup(thread)
    thread:set("thread", count)
    count = count + 1
    table.insert(threads, thread)
end

function init(args)
    headers = {
        ["Content-Type"] = "application/json",
        ["Accept"] = "application/json, text/event-stream",
        ["Authorization"] = "Bearer " .. args[1],
        ["MCP-Session-Id"] = args[2],
        ["MCP-Protocol-Version"] = "2025-06-18",
    }
    counter = 0
    non2xx = 0
    errors = 0
end

function request()
    counter = counter + 1
    local id = thread * 1000000000 + counter
    local body = '{"jsonrpc":"2.0","id":' .. id .. ',"method":"tools/call","params":{"name":"whoami","arguments":{}}}'
    return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
    if status < 200 or status > 299 then
        non2xx = non2xx + 1
    elseif not string.find(body, '"result"', 1, true) then
        errors = errors + 1
    end
end

function done(summary, latency, requests)
    local bad, failed = 0, 0
    for _, thread in ipairs(threads) do
        bad = bad + thread:get("non2xx")
        failed = failed + thread:get("errors")
    end
    io.write("non-2xx: " .. (bad + failed) .. "\n")
end
