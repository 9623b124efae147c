package store

import "github.com/redis/go-redis/v9"

// Lua runs on Redis 7 and on miniredis's gopher-lua, so it sticks to Lua 5.1 string functions: no bit,
// struct or cmsgpack, no redis.call('TIME'), and it never turns a 16-digit microsecond count into a Lua
// number (tostring keeps only 14 significant digits). Times stay zero-padded strings, compared as
// strings, and reach ZADD as strings.

// luaHelpers is prepended to every script.
const luaHelpers = `
-- incr adds one to a zero-padded decimal string; nil on overflow.
local function incr(s)
  local i = #s
  while i > 0 do
    local d = string.byte(s, i)
    if d < 57 then
      return string.sub(s, 1, i - 1) .. string.char(d + 1) .. string.rep('0', #s - i)
    end
    i = i - 1
  end
  return nil
end

-- meta values are "<spec_version>|<type>".
local function metaSpec(m)
  return string.sub(m, 1, string.find(m, '|', 1, true) - 1)
end
local function metaType(m)
  return string.sub(m, string.find(m, '|', 1, true) + 1)
end

local function parts(s)
  local t = {}
  for p in string.gmatch(s, '[^.]+') do t[#t + 1] = p end
  return t
end

-- newer reports whether spec version a is newer than b (false or nil: none), comparing dotted numbers.
local function newer(a, b)
  if not b then return true end
  local pa, pb = parts(a), parts(b)
  for i = 1, math.max(#pa, #pb) do
    local x, y = pa[i], pb[i]
    if x == nil then return false end
    if y == nil then return true end
    local nx, ny = tonumber(x), tonumber(y)
    if nx and ny then
      if nx ~= ny then return nx > ny end
    elseif x ~= y then
      return x > y
    end
  end
  return false
end
`

// Result codes of putScript.
const (
	putAdded        = 1
	putDuplicate    = 2
	putConflict     = 3
	putTypeConflict = 4
	putClockFull    = 5
)

// putScript stores one object version and updates every index and counter, or writes nothing.
var putScript = redis.NewScript(luaHelpers + `
-- KEYS[1] stats  KEYS[2] all  KEYS[3] latest  KEYS[4] first  KEYS[5] meta  KEYS[6] body
-- KEYS[7] idspec  KEYS[8] ver:<id>  KEYS[9] type:<type>
-- ARGV[1] id  ARGV[2] type  ARGV[3] spec_version
-- ARGV[4] version, 16-digit µs; "" = none (the id's first date_added becomes the version)
-- ARGV[5] now, 16-digit µs  ARGV[6] object JSON
-- returns {code, date_added, version}: 1 added, 2 duplicate (identical bytes, nothing written),
--   3 conflict (same id+version, other bytes), 4 conflict (id stored with another type),
--   5 date_added would overflow 16 digits
local id, typ, spec, ver, body = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[6]
local prevLast = redis.call('ZRANGE', KEYS[8], -1, -1)[1]
local prevFirst = redis.call('ZRANGE', KEYS[8], 0, 0)[1]
if prevLast then
  if metaType(redis.call('HGET', KEYS[5], string.sub(prevLast, 18))) ~= typ then
    return {4, '', ''}
  end
  if ver == '' then ver = string.sub(prevFirst, -16) end
  local old = redis.call('HGET', KEYS[6], id .. '|' .. ver)
  if old then
    local m = redis.call('ZRANGEBYSCORE', KEYS[8], ver, ver)[1]
    if old == body then return {2, string.sub(m, 1, 16), ver} end
    return {3, string.sub(m, 1, 16), ver}
  end
end

local da = incr(redis.call('HGET', KEYS[1], 'last') or '0000000000000000')
if not da then return {5, '', ''} end
if ARGV[5] > da then da = ARGV[5] end
if ver == '' then ver = da end
local mem = da .. '|' .. id .. '|' .. ver
local f = id .. '|' .. ver

redis.call('HSET', KEYS[1], 'last', da)
redis.call('ZADD', KEYS[2], 0, mem)
redis.call('HSET', KEYS[5], f, spec .. '|' .. typ)
redis.call('HSET', KEYS[6], f, body)
redis.call('ZADD', KEYS[8], ver, mem)
if redis.call('ZRANGE', KEYS[8], -1, -1)[1] == mem then
  if prevLast then
    redis.call('ZREM', KEYS[3], prevLast)
    redis.call('ZREM', KEYS[9], prevLast)
  end
  redis.call('ZADD', KEYS[3], 0, mem)
  redis.call('ZADD', KEYS[9], 0, mem)
end
if redis.call('ZRANGE', KEYS[8], 0, 0)[1] == mem then
  if prevFirst then redis.call('ZREM', KEYS[4], prevFirst) end
  redis.call('ZADD', KEYS[4], 0, mem)
end
redis.call('HINCRBY', KEYS[1], 'versions', 1)
if not prevLast then redis.call('HINCRBY', KEYS[1], 'objects', 1) end
if newer(spec, redis.call('HGET', KEYS[7], id)) then redis.call('HSET', KEYS[7], id, spec) end
return {1, da, ver}
`)

// deleteTypeChanged is deleteScript's answer when the id was re-created with another type after the
// caller read it; the caller re-reads and retries.
const deleteTypeChanged = -1

// deleteScript removes selected versions of one id and repairs the latest, first and type indexes, the
// newest spec version of the id and the counters, or changes nothing.
var deleteScript = redis.NewScript(luaHelpers + `
-- KEYS[1..9] as in putScript; KEYS[9] is the type index of the id's stored type
-- ARGV[1] id  ARGV[2] the stored type the caller read  ARGV[3] flags: 'a' all, 'f' first, 'l' last
-- ARGV[4] n  ARGV[5..4+n] versions to delete, 16-digit µs  ARGV[5+n..] spec versions (none: any)
-- returns {removed}: number of versions deleted, or {-1} when the id's type is not ARGV[2]
local id, flags = ARGV[1], ARGV[3]
local ms = redis.call('ZRANGE', KEYS[8], 0, -1)
if #ms == 0 then return {0} end
local meta = {}
for i, m in ipairs(ms) do meta[i] = redis.call('HGET', KEYS[5], string.sub(m, 18)) end
if metaType(meta[#ms]) ~= ARGV[2] then return {-1} end

local n = tonumber(ARGV[4])
local at, specs, anySpec = {}, {}, true
for i = 5, 4 + n do at[ARGV[i]] = true end
for i = 5 + n, #ARGV do specs[ARGV[i]] = true; anySpec = false end
local all = string.find(flags, 'a', 1, true) ~= nil
local first = string.find(flags, 'f', 1, true) ~= nil
local last = string.find(flags, 'l', 1, true) ~= nil

local removed = 0
for i, m in ipairs(ms) do
  local spec = metaSpec(meta[i])
  local pick = all or (first and i == 1) or (last and i == #ms) or at[string.sub(m, -16)]
  if pick and (anySpec or specs[spec]) then
    local f = string.sub(m, 18)
    for k = 2, 4 do redis.call('ZREM', KEYS[k], m) end
    redis.call('ZREM', KEYS[8], m)
    redis.call('ZREM', KEYS[9], m)
    redis.call('HDEL', KEYS[5], f)
    redis.call('HDEL', KEYS[6], f)
    removed = removed + 1
  end
end
if removed == 0 then return {0} end
redis.call('HINCRBY', KEYS[1], 'versions', -removed)

local rest = redis.call('ZRANGE', KEYS[8], 0, -1)
if #rest == 0 then
  redis.call('HINCRBY', KEYS[1], 'objects', -1)
  redis.call('HDEL', KEYS[7], id)
  return {removed}
end
redis.call('ZADD', KEYS[3], 0, rest[#rest])
redis.call('ZADD', KEYS[9], 0, rest[#rest])
redis.call('ZADD', KEYS[4], 0, rest[1])
local best = nil
for _, m in ipairs(rest) do
  local s = metaSpec(redis.call('HGET', KEYS[5], string.sub(m, 18)))
  if newer(s, best) then best = s end
end
redis.call('HSET', KEYS[7], id, best)
return {removed}
`)
