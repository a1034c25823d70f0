// The Redis side of the sliding-window log: one script, so trim + count + admit is a single atomic step for every
// process sharing the Redis (that is what makes "exactly `limit`" hold under concurrency). It decides a batch of calls
// (LimitStore.consume, consumeAll and peek) one after the other: the calls a process makes within one turn of its
// event loop share one round trip. Each call decides exactly as alone at its own `now` (trim and count each window;
// if every window has room for `cost`, record the hits in every window, otherwise in none), in the order given, so a
// batch decides what the same calls made one by one would. A call of cost 0 is a peek: it records nothing and
// reports whether one more hit would be admitted.
//
// KEYS     the windows of every call, call after call: sorted sets with one member per admitted hit, scored by its
//          timestamp (epoch ms)
// ARGV     for each call: now, cost (0 = peek), token (unique per call, makes members unique when several hits share a
//          millisecond), its number of windows, then windowMs and limit for each window
// Returns  for each call: admitted (0|1), then per window: room (0|1), hits after the decision, retryAfterMs, resetMs
// Mirrors decisionFor() in memory-store.ts; tests feed both the same sequences and compare every decision.
export const slidingWindowBatchLua = `
local result = {}
local a = 1
local k = 0
while a <= #ARGV do
  local now = tonumber(ARGV[a])
  local cost = tonumber(ARGV[a + 1])
  local token = ARGV[a + 2]
  local windows = tonumber(ARGV[a + 3])
  a = a + 4
  local count = {}
  local room = {}
  local admitted = 1
  for i = 1, windows do
    local key = KEYS[k + i]
    local window = tonumber(ARGV[a + 2 * i - 2])
    local limit = tonumber(ARGV[a + 2 * i - 1])
    -- %.0f keeps 13-digit epoch milliseconds exact (Lua's default number formatting may not).
    redis.call('ZREMRANGEBYSCORE', key, '-inf', string.format('%.0f', now - window))
    -- Only the newest \`limit\` hits can affect a decision for this limit: bounds memory even if a limit was lowered.
    redis.call('ZREMRANGEBYRANK', key, 0, -(limit + 1))
    count[i] = redis.call('ZCARD', key)
    if count[i] + math.max(cost, 1) <= limit then room[i] = 1 else room[i] = 0; admitted = 0 end
  end

  table.insert(result, admitted)
  for i = 1, windows do
    local key = KEYS[k + i]
    local window = tonumber(ARGV[a + 2 * i - 2])
    local limit = tonumber(ARGV[a + 2 * i - 1])
    local n = count[i]
    if admitted == 1 then
      local score = string.format('%.0f', now)
      for j = 1, cost do
        redis.call('ZADD', key, score, token .. ':' .. j)
      end
      n = n + cost
    end
    -- A window with room reports "room for one more"; a window without, "room for the refused cost".
    local need = 1
    if room[i] == 0 then need = math.max(cost, 1) end
    local retry = 0
    if n + need > limit then
      if need > limit then
        retry = window
      else
        local idx = n + need - limit - 1
        retry = tonumber(redis.call('ZRANGE', key, idx, idx, 'WITHSCORES')[2]) + window - now
      end
    end
    local reset = 0
    if n > 0 then
      reset = tonumber(redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')[2]) + window - now
      -- The key lives exactly as long as its newest hit counts, so idle keys cost Redis nothing.
      if admitted == 1 and cost > 0 then redis.call('PEXPIRE', key, reset) end
    end
    table.insert(result, room[i])
    table.insert(result, n)
    table.insert(result, retry)
    table.insert(result, reset)
  end
  a = a + 2 * windows
  k = k + windows
end
return result
`
