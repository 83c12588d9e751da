package crawl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// A source in Redis is the JSON object {"s": Source JSON as a string,
// "q": queued (ms, server time), "p": 1 while pending}: the Source stays
// a string so that Lua's cjson never re-encodes it.
var (
	// KEYS: sources. ARGV: key, Source JSON.
	scriptSaveSource = redis.NewScript(luaNow + `
local q = now()
local old = redis.call('HGET', KEYS[1], ARGV[1])
if old then
  q = cjson.decode(old).q
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode({s = ARGV[2], q = q, p = 0}))
return 0`)

	// KEYS: sources, queue, entries, stats, inflight. ARGV: every ms,
	// pendingFor ms, maxSourceBackoff. Returns how many sources were
	// queued.
	scriptRevisit = redis.NewScript(luaNow + `
local t = now()
local every = tonumber(ARGV[1])
local busy = redis.call('ZCARD', KEYS[2]) + redis.call('ZCARD', KEYS[5]) > 0
local n = 0
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local rec = cjson.decode(all[i + 1])
  local src = cjson.decode(rec.s)
  local age = t - rec.q
  local f = math.min(src.f or 0, tonumber(ARGV[3]))
  if src["until"] and src["until"] * 1000 < t then
    redis.call('HDEL', KEYS[1], all[i])
  elseif not ((rec.p == 1 or busy) and age < tonumber(ARGV[2])) and age >= every * (2 ^ f) then
    rec.q = t
    rec.p = 1
    redis.call('HSET', KEYS[1], all[i], cjson.encode(rec))
    local e = src.e
    e.r = true
    local id = redis.call('HINCRBY', KEYS[4], 'seq', 1)
    redis.call('HSET', KEYS[3], id, cjson.encode(e))
    redis.call('ZADD', KEYS[2], id, id)
    n = n + 1
  end
end
return n`)
)

type redisSource struct {
	S string `json:"s"`
}

func (s *redisStore) Source(key string) (Source, bool, error) {
	var v string
	err := s.do("source", func(ctx context.Context) error {
		var err error
		v, err = s.rdb.HGet(ctx, s.prefix+rkSources, key).Result()
		if errors.Is(err, redis.Nil) {
			v, err = "", nil
		}
		return err
	})
	if err != nil || v == "" {
		return Source{}, false, err
	}
	var rec redisSource
	var src Source
	if err := json.Unmarshal([]byte(v), &rec); err != nil {
		return Source{}, false, fmt.Errorf("redis %s: source %s: %w", s.addr, key, err)
	}
	if err := json.Unmarshal([]byte(rec.S), &src); err != nil {
		return Source{}, false, fmt.Errorf("redis %s: source %s: %w", s.addr, key, err)
	}
	return src, true, nil
}

func (s *redisStore) SaveSource(src Source) error {
	b, err := json.Marshal(src)
	if err != nil {
		return err
	}
	return s.do("save source", func(ctx context.Context) error {
		return scriptSaveSource.Run(ctx, s.rdb, s.keys(rkSources), src.Entry.Key, string(b)).Err()
	})
}

func (s *redisStore) Revisit(every time.Duration) (int, error) {
	var n int64
	err := s.do("revisit", func(ctx context.Context) error {
		var err error
		n, err = scriptRevisit.Run(ctx, s.rdb, s.keys(rkSources, rkQueue, rkEntries, rkStats, rkInflight),
			every.Milliseconds(), pendingFor.Milliseconds(), maxSourceBackoff).Int64()
		return err
	})
	return int(n), err
}
