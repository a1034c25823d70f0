// The Redis side of the sliding-window log. One script, so trim + count + admit is a single atomic step for every
// process sharing the Redis (that is what makes "exactly `limit`" hold under concurrency).
//
// KEYS[1]  sorted set: one member per admitted hit, scored by its timestamp (epoch ms)
// ARGV     now, windowMs, limit, cost (0 = peek: decide without recording), token (unique per call, makes members
//          unique when several hits share a millisecond)
// Returns  { allowed (0|1), hits in the window after the decision, retryAfterMs, resetMs }
// Mirrors decisionFor() in memory-store.ts; a test feeds both the same sequence and compares every decision.
export const slidingWindowLua = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])

-- %.0f keeps 13-digit epoch milliseconds exact (Lua's default number formatting may not).
redis.call('ZREMRANGEBYSCORE', key, '-inf', string.format('%.0f', now - window))
-- Only the newest \`limit\` hits can affect a decision for this limit: bounds memory even if a limit was lowered.
redis.call('ZREMRANGEBYRANK', key, 0, -(limit + 1))
local n = redis.call('ZCARD', key)

-- A peek reports whether one more hit would be admitted.
local need = math.max(cost, 1)
local allowed = 0
if n + need <= limit then
  allowed = 1
  if cost > 0 then
    local score = string.format('%.0f', now)
    for i = 1, cost do
      redis.call('ZADD', key, score, ARGV[5] .. ':' .. i)
    end
    n = n + cost
  end
end

-- After an admission (or for a peek) "room again" means room for one more hit.
if allowed == 1 then need = 1 end
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
  if allowed == 1 and cost > 0 then redis.call('PEXPIRE', key, reset) end
end
return { allowed, n, retry, reset }
`
