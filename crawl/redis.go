package crawl

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// DefaultRedisTimeout is how long a Redis store keeps retrying an
// operation while the server is unreachable before it gives up.
const DefaultRedisTimeout = time.Minute

// ErrRedisURL marks a Redis URL that does not parse; ErrCrawlName a crawl
// name that is not allowed.
var (
	ErrRedisURL  = errors.New("not a redis:// or rediss:// URL")
	ErrCrawlName = errors.New("want 1 to 64 letters, digits, dots, dashes or underscores")
)

var crawlNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// CheckRedis validates a Redis URL (redis://[user:password@]host:port/db
// or rediss:// for TLS) and a crawl name without connecting. Its errors
// wrap ErrRedisURL or ErrCrawlName.
func CheckRedis(rawURL, name string) error {
	if _, err := redisOptions(rawURL); err != nil {
		return err
	}
	if !crawlNameRE.MatchString(name) {
		return fmt.Errorf("crawl name %q: %w", name, ErrCrawlName)
	}
	return nil
}

func redisOptions(rawURL string) (*redis.Options, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Host == "" {
		return nil, fmt.Errorf("redis URL %q: %w", rawURL, ErrRedisURL)
	}
	opts, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("redis URL %q: %w: %v", u.Redacted(), ErrRedisURL, err)
	}
	return opts, nil
}

// RedisOptions configures OpenRedis. The zero value means the defaults.
type RedisOptions struct {
	// Timeout is how long an operation keeps retrying, with capped
	// exponential backoff, while Redis is unreachable; then it fails and
	// so does Run. Zero means DefaultRedisTimeout.
	Timeout time.Duration
	// Logger receives a warning for each retry; nil discards them.
	Logger *slog.Logger
}

// redisStore is the Store (and HostGate) kept in Redis, shared by every
// process that opens the same server and crawl name. Its keys all start
// with newsx:{NAME}: (the hash tag keeps them in one cluster slot), and
// every change that touches more than one key is one Lua script, run with
// EVALSHA, so that it is atomic. Lease and slot deadlines use the Redis
// server's clock, never the workers'.
type redisStore struct {
	rdb     *redis.Client
	ctx     context.Context // commands: never cancelled, bounded by timeouts
	stopCtx context.Context // the caller's: ends retry waits
	addr    string          // the URL without password, for messages
	prefix  string
	worker  string        // this process's lease owner token
	slotN   atomic.Uint64 // makes host-slot tokens unique
	claimN  atomic.Uint64 // makes emitted-claim tokens unique
	timeout time.Duration
	log     *slog.Logger

	mu        sync.Mutex
	downSince time.Time // the start of the current outage, or zero
}

// Keys of a crawl, relative to its prefix.
const (
	rkQueue    = "queue"    // ZSET id -> id: entries to claim, oldest first
	rkEntries  = "entries"  // HASH id -> entry JSON, queued or in flight
	rkSeen     = "seen"     // SET of every key ever queued
	rkVisited  = "visited"  // SET of keys fetched
	rkEmitted  = "emitted"  // HASH emitted key -> token of the claimer
	rkInflight = "inflight" // ZSET id -> lease deadline (ms, server time)
	rkOwner    = "owner"    // HASH id -> lease owner token
	rkStats    = "stats"    // HASH seq, done, failed, emitted
	rkScope    = "scope"    // SET of seed hosts
	rkHost     = "host:"    // + origin: ZSET slot token -> deadline (ms)
	rkSources  = "sources"  // HASH key -> source record JSON (redisSource)
)

// OpenRedis connects to the Redis server at rawURL and returns the Store
// of crawl name on it: every process that opens the same server and name
// shares the frontier, the visited and emitted sets, the scope and the
// per-host request slots (it implements HostGate). It fails at once when
// the server does not answer. ctx bounds retry waits; commands themselves
// are not cut short by it, so that an interrupted crawl still commits its
// last pages. Close closes the connection and leaves the crawl in Redis.
func OpenRedis(ctx context.Context, rawURL, name string, opts RedisOptions) (Store, error) {
	if err := CheckRedis(rawURL, name); err != nil {
		return nil, err
	}
	ropts, _ := redisOptions(rawURL)
	ropts.DialTimeout = 2 * time.Second
	ropts.ReadTimeout = 5 * time.Second
	ropts.WriteTimeout = 5 * time.Second
	ropts.MaxRetries = -1 // the store retries, with its own budget
	ropts.DialerRetries = 1
	ropts.PoolSize = 4
	ropts.DisableIdentity = true
	ropts.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	u, _ := url.Parse(rawURL)
	s := &redisStore{
		rdb:     redis.NewClient(ropts),
		ctx:     context.WithoutCancel(ctx),
		stopCtx: ctx,
		addr:    u.Redacted(),
		prefix:  "newsx:{" + name + "}:",
		worker:  workerID(),
		timeout: opts.Timeout,
		log:     opts.Logger,
	}
	if s.timeout <= 0 {
		s.timeout = DefaultRedisTimeout
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	// go-redis logs through a global logger, to stderr by default.
	redisLogOnce.Do(func() { redis.SetLogger(redisLogger{s.log}) })
	if err := s.rdb.Ping(s.ctx).Err(); err != nil {
		s.rdb.Close()
		return nil, fmt.Errorf("redis %s: %s (is redis-server running?)", s.addr, describeRedisErr(err))
	}
	return s, nil
}

var redisLogOnce sync.Once

// redisLogger hands go-redis's own messages (failed dials and the like,
// which the store reports itself) to slog at debug level.
type redisLogger struct{ log *slog.Logger }

func (l redisLogger) Printf(ctx context.Context, format string, v ...any) {
	l.log.DebugContext(ctx, "go-redis", "msg", strings.TrimPrefix(fmt.Sprintf(format, v...), "redis: "))
}

// workerID names this process as a lease owner: host, pid and a random
// part, so that a restarted process never passes for a dead one.
func workerID() string {
	host, _ := os.Hostname()
	var b [6]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// describeRedisErr shortens the usual connection errors.
func describeRedisErr(err error) string {
	switch {
	case errors.Is(err, errConnRefused):
		return "connection refused"
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		return "timed out"
	}
	return err.Error()
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// transient reports whether a failed command may pass when retried: a
// lost or refused connection, a timeout, a server loading or failing
// over. Errors in scripts or arguments are not.
func transient(err error) bool {
	if errors.Is(err, redis.Nil) {
		return false
	}
	var re redis.Error
	if errors.As(err, &re) {
		msg := re.Error()
		for _, p := range []string{"LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN", "READONLY", "CLUSTERDOWN"} {
			if strings.HasPrefix(msg, p) {
				return true
			}
		}
		return false
	}
	return true
}

// do runs f, retrying transient failures with exponential backoff
// (100ms doubling to 5s) until Redis has been unreachable for the
// store's timeout. Once an outage has lasted that long, every later
// operation tries once until one succeeds.
func (s *redisStore) do(op string, f func(ctx context.Context) error) error {
	wait := 100 * time.Millisecond
	for {
		err := f(s.ctx)
		if err == nil {
			s.mu.Lock()
			if !s.downSince.IsZero() {
				s.log.Info("redis reachable again", "op", op, "after", time.Since(s.downSince).Round(time.Millisecond))
				s.downSince = time.Time{}
			}
			s.mu.Unlock()
			return nil
		}
		if !transient(err) {
			return fmt.Errorf("redis %s: %s: %w", s.addr, op, err)
		}
		s.mu.Lock()
		if s.downSince.IsZero() {
			s.downSince = time.Now()
		}
		left := s.timeout - time.Since(s.downSince)
		s.mu.Unlock()
		if left <= 0 {
			return fmt.Errorf("redis %s: %s: %s, gave up after %s (see --redis-timeout)", s.addr, op, describeRedisErr(err), s.timeout)
		}
		d := min(wait, left)
		s.log.Warn("redis unavailable, pausing", "op", op, "err", describeRedisErr(err), "retry_in", d)
		select {
		case <-time.After(d):
		case <-s.stopCtx.Done():
			return fmt.Errorf("redis %s: %s: %s: %w", s.addr, op, describeRedisErr(err), s.stopCtx.Err())
		}
		wait = min(2*wait, 5*time.Second)
	}
}

func (s *redisStore) keys(names ...string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = s.prefix + n
	}
	return out
}

// luaNow is the Redis server's time in milliseconds.
const luaNow = `
local function now()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`

// luaAdd queues the (key, entry JSON) pairs of ARGV from index i whose key
// was never queued. KEYS: queue, entries, seen, stats.
const luaAdd = `
local function add(q, entries, seen, stats, i)
  local n = 0
  while i < #ARGV do
    if redis.call('SADD', seen, ARGV[i]) == 1 then
      local id = redis.call('HINCRBY', stats, 'seq', 1)
      redis.call('HSET', entries, id, ARGV[i + 1])
      redis.call('ZADD', q, id, id)
      n = n + 1
    end
    i = i + 2
  end
  return n
end
`

var (
	// KEYS: queue, entries, seen, stats. ARGV: key, json, key, json...
	scriptAdd = redis.NewScript(luaAdd + `return add(KEYS[1], KEYS[2], KEYS[3], KEYS[4], 1)`)

	// KEYS: queue, entries, inflight, owner. ARGV: n, lease ms, owner.
	// Returns id, json, id, json...
	scriptClaim = redis.NewScript(luaNow + `
local t = now()
local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', '(' .. t, 'LIMIT', 0, 1000)
for _, id in ipairs(expired) do
  redis.call('ZREM', KEYS[3], id)
  redis.call('HDEL', KEYS[4], id)
  redis.call('ZADD', KEYS[1], id, id)
end
local popped = redis.call('ZPOPMIN', KEYS[1], tonumber(ARGV[1]))
local out = {}
for i = 1, #popped, 2 do
  local id = popped[i]
  local v = redis.call('HGET', KEYS[2], id)
  if v then
    redis.call('ZADD', KEYS[3], t + tonumber(ARGV[2]), id)
    redis.call('HSET', KEYS[4], id, ARGV[3])
    out[#out + 1] = id
    out[#out + 1] = v
  end
end
return out`)

	// KEYS: queue, inflight, owner. ARGV: lease ms, owner, id...
	// Returns the ids not held.
	scriptRenew = redis.NewScript(luaNow + `
local t = now()
local lost = {}
for i = 3, #ARGV do
  local id = ARGV[i]
  if redis.call('HGET', KEYS[3], id) == ARGV[2] then
    redis.call('ZADD', KEYS[2], t + tonumber(ARGV[1]), id)
  elseif redis.call('ZREM', KEYS[1], id) == 1 then
    redis.call('ZADD', KEYS[2], t + tonumber(ARGV[1]), id)
    redis.call('HSET', KEYS[3], id, ARGV[2])
  else
    lost[#lost + 1] = id
  end
end
return lost`)

	// KEYS: queue, inflight, owner. ARGV: owner, id...
	scriptRelease = redis.NewScript(`
for i = 2, #ARGV do
  local id = ARGV[i]
  if redis.call('HGET', KEYS[3], id) == ARGV[1] then
    redis.call('ZREM', KEYS[2], id)
    redis.call('HDEL', KEYS[3], id)
    redis.call('ZADD', KEYS[1], id, id)
  end
end
return 0`)

	// KEYS: queue, entries, seen, stats, inflight, owner, visited,
	// emitted. ARGV: owner, id, failed (0/1), emitted key or "", number
	// of visited keys, the visited keys, then key, json pairs found.
	// Returns 1 when this call finished the entry, 0 when it was done
	// before or another process holds it now.
	scriptDone = redis.NewScript(luaAdd + `
local id = ARGV[2]
local counted = 0
local holder = redis.call('HGET', KEYS[6], id)
if holder == ARGV[1] then
  redis.call('ZREM', KEYS[5], id)
  redis.call('HDEL', KEYS[6], id)
  counted = 1
elseif not holder and redis.call('ZREM', KEYS[1], id) == 1 then
  counted = 1
end
if counted == 1 then
  redis.call('HDEL', KEYS[2], id)
  redis.call('HINCRBY', KEYS[4], 'done', 1)
  if ARGV[3] == '1' then
    redis.call('HINCRBY', KEYS[4], 'failed', 1)
  end
end
if ARGV[4] ~= '' and redis.call('HSETNX', KEYS[8], ARGV[4], ARGV[1]) == 1 then
  redis.call('HINCRBY', KEYS[4], 'emitted', 1)
end
local nv = tonumber(ARGV[5])
for i = 6, 5 + nv do
  redis.call('SADD', KEYS[7], ARGV[i])
end
add(KEYS[1], KEYS[2], KEYS[3], KEYS[4], 6 + nv)
return counted`)

	// KEYS: emitted, stats. ARGV: key, token. 1 when the key is this
	// token's (now or from an earlier try), 0 when another's.
	scriptClaimEmitted = redis.NewScript(`
local v = redis.call('HGET', KEYS[1], ARGV[1])
if not v then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  redis.call('HINCRBY', KEYS[2], 'emitted', 1)
  return 1
end
if v == ARGV[2] then
  return 1
end
return 0`)

	// KEYS: emitted, stats. ARGV: token, key...
	scriptMarkEmitted = redis.NewScript(`
for i = 2, #ARGV do
  if redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[1]) == 1 then
    redis.call('HINCRBY', KEYS[2], 'emitted', 1)
  end
end
return 0`)

	// KEYS: queue, inflight, stats. Returns queued (expired leases
	// included), in flight, done, failed, emitted.
	scriptCounts = redis.NewScript(luaNow + `
local t = now()
local live = redis.call('ZCOUNT', KEYS[2], t, '+inf')
local all = redis.call('ZCARD', KEYS[2])
local q = redis.call('ZCARD', KEYS[1])
local s = redis.call('HMGET', KEYS[3], 'done', 'failed', 'emitted')
local function n(v) return (v and tonumber(v)) or 0 end
return {q + all - live, live, n(s[1]), n(s[2]), n(s[3])}`)

	// KEYS: host slots. ARGV: limit, hold ms, token. Returns 0 when the
	// slot is taken, else the ms until the first slot's deadline.
	scriptAcquire = redis.NewScript(luaNow + `
local t = now()
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. t)
if redis.call('ZSCORE', KEYS[1], ARGV[3]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  local hold = tonumber(ARGV[2])
  redis.call('ZADD', KEYS[1], t + hold, ARGV[3])
  if redis.call('PTTL', KEYS[1]) < hold + 60000 then
    redis.call('PEXPIRE', KEYS[1], hold + 60000)
  end
  return 0
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(first[2]) - t)`)

	// KEYS: host slots. ARGV: token, after ms.
	scriptReleaseHost = redis.NewScript(luaNow + `
local after = tonumber(ARGV[2])
if after > 0 then
  redis.call('ZADD', KEYS[1], 'XX', now() + after, ARGV[1])
  -- the key must outlive the delay, however long robots.txt makes it
  if redis.call('PTTL', KEYS[1]) < after + 60000 then
    redis.call('PEXPIRE', KEYS[1], after + 60000)
  end
else
  redis.call('ZREM', KEYS[1], ARGV[1])
end
return 0`)
)

// entryArgs appends the key, JSON pairs of entries to args.
func entryArgs(args []any, entries []Entry) ([]any, error) {
	for _, e := range entries {
		if e.Key == "" {
			continue
		}
		b, err := json.Marshal(e)
		if err != nil {
			return nil, err
		}
		args = append(args, e.Key, string(b))
	}
	return args, nil
}

func (s *redisStore) Add(entries []Entry) (int, error) {
	args, err := entryArgs(nil, entries)
	if err != nil || len(args) == 0 {
		return 0, err
	}
	var n int64
	err = s.do("add", func(ctx context.Context) error {
		var err error
		n, err = scriptAdd.Run(ctx, s.rdb, s.keys(rkQueue, rkEntries, rkSeen, rkStats), args...).Int64()
		return err
	})
	return int(n), err
}

func ids(entries []Entry) []any {
	out := make([]any, len(entries))
	for i, e := range entries {
		out[i] = strconv.FormatUint(e.Seq, 10)
	}
	return out
}

func (s *redisStore) Claim(n int, lease time.Duration) ([]Entry, error) {
	var res []string
	err := s.do("claim", func(ctx context.Context) error {
		var err error
		res, err = scriptClaim.Run(ctx, s.rdb, s.keys(rkQueue, rkEntries, rkInflight, rkOwner),
			n, lease.Milliseconds(), s.worker).StringSlice()
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]Entry, 0, len(res)/2)
	for i := 0; i+1 < len(res); i += 2 {
		var e Entry
		if err := json.Unmarshal([]byte(res[i+1]), &e); err != nil {
			return nil, fmt.Errorf("redis %s: frontier entry %s: %w", s.addr, res[i], err)
		}
		e.Seq, _ = strconv.ParseUint(res[i], 10, 64)
		out = append(out, e)
	}
	return out, nil
}

func (s *redisStore) Renew(entries []Entry, lease time.Duration) ([]uint64, error) {
	if len(entries) == 0 {
		return nil, nil
	}
	var res []string
	err := s.do("renew", func(ctx context.Context) error {
		var err error
		args := append([]any{lease.Milliseconds(), s.worker}, ids(entries)...)
		res, err = scriptRenew.Run(ctx, s.rdb, s.keys(rkQueue, rkInflight, rkOwner), args...).StringSlice()
		return err
	})
	var lost []uint64
	for _, id := range res {
		seq, _ := strconv.ParseUint(id, 10, 64)
		lost = append(lost, seq)
	}
	return lost, err
}

func (s *redisStore) Release(entries []Entry) error {
	if len(entries) == 0 {
		return nil
	}
	return s.do("release", func(ctx context.Context) error {
		args := append([]any{s.worker}, ids(entries)...)
		return scriptRelease.Run(ctx, s.rdb, s.keys(rkQueue, rkInflight, rkOwner), args...).Err()
	})
}

func (s *redisStore) Done(o Outcome) error {
	failed := "0"
	if o.Failed {
		failed = "1"
	}
	args := []any{s.worker, strconv.FormatUint(o.Entry.Seq, 10), failed, o.Emitted, len(o.Visited)}
	for _, k := range o.Visited {
		args = append(args, k)
	}
	args, err := entryArgs(args, o.Found)
	if err != nil {
		return err
	}
	return s.do("done", func(ctx context.Context) error {
		return scriptDone.Run(ctx, s.rdb,
			s.keys(rkQueue, rkEntries, rkSeen, rkStats, rkInflight, rkOwner, rkVisited, rkEmitted), args...).Err()
	})
}

func (s *redisStore) Len() (int, error) {
	c, err := s.Counts()
	return c.Queued, err
}

func (s *redisStore) Counts() (Counts, error) {
	var v []int64
	err := s.do("counts", func(ctx context.Context) error {
		var err error
		v, err = scriptCounts.Run(ctx, s.rdb, s.keys(rkQueue, rkInflight, rkStats)).Int64Slice()
		return err
	})
	if err != nil || len(v) != 5 {
		return Counts{}, err
	}
	return Counts{Queued: int(v[0]), InFlight: int(v[1]), Done: int(v[2]), Failed: int(v[3]), Emitted: int(v[4])}, nil
}

func (s *redisStore) Visited(key string) (bool, error) {
	var ok bool
	err := s.do("visited", func(ctx context.Context) error {
		var err error
		ok, err = s.rdb.SIsMember(ctx, s.prefix+rkVisited, key).Result()
		return err
	})
	return ok, err
}

func (s *redisStore) Emitted(key string) (bool, error) {
	var ok bool
	err := s.do("emitted", func(ctx context.Context) error {
		var err error
		ok, err = s.rdb.HExists(ctx, s.prefix+rkEmitted, key).Result()
		return err
	})
	return ok, err
}

// ClaimEmitted sets the key to a token naming this process and e, so that
// a retry after a lost reply recognises its own claim.
func (s *redisStore) ClaimEmitted(key string, e Entry) (bool, error) {
	// Unique per call (a retry after a lost reply reuses it and is taken
	// for the same claim), so that two fetches of one entry by this
	// process, after its lease expired and came back, cannot both win.
	token := s.worker + "#" + strconv.FormatUint(e.Seq, 10) + "#" + strconv.FormatUint(s.claimN.Add(1), 10)
	var n int64
	err := s.do("claim emitted", func(ctx context.Context) error {
		var err error
		n, err = scriptClaimEmitted.Run(ctx, s.rdb, s.keys(rkEmitted, rkStats), key, token).Int64()
		return err
	})
	return n == 1, err
}

func (s *redisStore) MarkEmitted(keys ...string) error {
	if len(keys) == 0 {
		return nil
	}
	args := []any{s.worker + "#read-back"}
	for _, k := range keys {
		args = append(args, k)
	}
	return s.do("mark emitted", func(ctx context.Context) error {
		return scriptMarkEmitted.Run(ctx, s.rdb, s.keys(rkEmitted, rkStats), args...).Err()
	})
}

func (s *redisStore) AddScope(hosts ...string) error {
	if len(hosts) == 0 {
		return nil
	}
	args := make([]any, len(hosts))
	for i, h := range hosts {
		args[i] = h
	}
	return s.do("add scope", func(ctx context.Context) error {
		return s.rdb.SAdd(ctx, s.prefix+rkScope, args...).Err()
	})
}

func (s *redisStore) Scope() ([]string, error) {
	var hosts []string
	err := s.do("scope", func(ctx context.Context) error {
		var err error
		hosts, err = s.rdb.SMembers(ctx, s.prefix+rkScope).Result()
		return err
	})
	slices.Sort(hosts)
	return hosts, err
}

func (s *redisStore) AcquireHost(origin string, limit int, hold time.Duration) (string, time.Duration, error) {
	token := s.worker + "#" + strconv.FormatUint(s.slotN.Add(1), 10)
	var wait int64
	err := s.do("acquire host slot", func(ctx context.Context) error {
		var err error
		wait, err = scriptAcquire.Run(ctx, s.rdb, []string{s.prefix + rkHost + origin}, limit, hold.Milliseconds(), token).Int64()
		return err
	})
	if err != nil {
		return "", 0, err
	}
	if wait > 0 {
		return "", time.Duration(wait) * time.Millisecond, nil
	}
	return token, 0, nil
}

func (s *redisStore) ReleaseHost(origin, token string, after time.Duration) error {
	return s.do("release host slot", func(ctx context.Context) error {
		return scriptReleaseHost.Run(ctx, s.rdb, []string{s.prefix + rkHost + origin}, token, after.Milliseconds()).Err()
	})
}

func (s *redisStore) Close() error { return s.rdb.Close() }
