package crawl

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Compaction keeps the state file bounded. Records are only appended, so
// a crawl that visits its sources again (Config.Recrawl, Config.Watch)
// grows the file with every visit: the entry queued again, its outcome
// and the source's new validators, each superseding the last. When most
// of the file is superseded, compact writes the live state (the scope,
// every key with its flags, the sources, the counts and the entries
// still queued) to a new file beside it, syncs it, replays it to check it
// holds the same state, and renames it over the old one; a crash at any
// point leaves the old file or the new one, each whole. The file is
// compacted when it is opened, and by Revisit when nothing is queued, in
// flight or waiting to be written: between the rounds of a watching
// crawl.
//
// The new file keeps the last Seq assigned (recTally) and the queued
// entries in order; as no lease survives a restart, the queued entries
// take the Seqs just before it. It is format version 2: compacted files
// do not open with a newsx that reads version 1 only.
//
// On Windows an open file cannot be renamed over, so files are never
// compacted there.

// compactMin is the size under which a state file is never compacted:
// replaying a few megabytes takes a blink.
const compactMin = 4 << 20

// compactSupported says whether the system lets a file held open be
// renamed over.
const compactSupported = runtime.GOOS != "windows"

// compactSuffix starts the suffix of the new file's name while it is
// written: the state file's name, compactSuffix, and digits.
const compactSuffix = ".compact-"

// usage counts what the records applied hold, to estimate the size of
// the live state without reading the file.
type usage struct {
	keyRefs, keyBytes    int64 // keys in records, and their bytes
	entries, entryBytes  int64 // recAdd entries, and their bytes
	sources, sourceBytes int64 // recSource records, framed, and their bytes
	scopeBytes           int64
}

func (u *usage) key(k []byte) {
	u.keyRefs++
	u.keyBytes += int64(len(k)) + 1
}

func (u *usage) entry(n int, key []byte) {
	u.entries++
	u.entryBytes += int64(n)
	u.key(key)
}

func (u *usage) source(n int) {
	u.sources++
	u.sourceBytes += int64(n)
}

func (u *usage) scope(h []byte) { u.scopeBytes += int64(len(h)) + 1 }

// liveBytes estimates the size of the file compact would write: each key
// once at the average size of the keys in the file, each entry queued and
// each source at their average sizes, the scope as it is.
func (s *journalStore) liveBytes() int64 {
	u := &s.usage
	live := headerSize + u.scopeBytes
	if u.keyRefs > 0 {
		live += int64(s.keys.n) * (u.keyBytes/u.keyRefs + 1)
	}
	if u.entries > 0 {
		live += int64(s.queuedN) * u.entryBytes / u.entries
	}
	if u.sources > 0 {
		live += int64(len(s.sources)) * u.sourceBytes / u.sources
	}
	return live
}

// compactDue reports whether the file is worth compacting: at least
// compactAbove bytes, less than half of them live, and, after a failure,
// half as big again as then.
func (s *journalStore) compactDue() bool {
	return compactSupported && s.compactAbove > 0 && s.end >= s.compactAbove &&
		2*s.liveBytes() < s.end && 2*s.end >= 3*s.compactFailed
}

// quiet reports whether no Seq is queued or leased and no emitted key
// claimed: compaction then changes nothing Run holds. s.mu is held.
func (s *journalStore) quiet() bool {
	return s.queuedN == 0 && len(s.leases.held) == 0 && len(s.leases.back) == 0 && len(s.pending) == 0
}

// settle writes the records waiting and waits for every sync to end.
// s.mu is held, and released while waiting.
func (s *journalStore) settle() error {
	if err := s.flushLocked(); err != nil {
		return err
	}
	for s.syncing {
		s.synced.Wait() // a few milliseconds
	}
	return s.usable()
}

// compactIfDue compacts the file if it is due, logging what it did. A
// failure leaves the file as it was, and the crawl goes on with it.
// s.mu is held, or s not yet shared.
func (s *journalStore) compactIfDue() {
	if !s.compactDue() {
		return
	}
	before := s.end
	if err := s.compact(); err != nil {
		s.compactFailed = before
		s.log.Warn("state file not compacted, going on with it as it is", "path", s.path, "err", err)
		return
	}
	s.log.Info("state file compacted", "path", s.path, "bytes", before, "compacted", s.end)
}

// removeTemps removes the new files of compactions a crash interrupted.
// Only the process holding the state file's lock compacts it, so none is
// being written.
func (s *journalStore) removeTemps() {
	path, err := filepath.EvalSymlinks(s.path)
	if err != nil {
		return
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	des, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, de := range des {
		digits, ok := strings.CutPrefix(de.Name(), base+compactSuffix)
		if !ok || digits == "" || strings.Trim(digits, "0123456789") != "" || !de.Type().IsRegular() {
			continue
		}
		if err := os.Remove(filepath.Join(dir, de.Name())); err != nil {
			s.log.Warn("cannot remove the new file of a compaction cut short", "path", filepath.Join(dir, de.Name()), "err", err)
		}
	}
}

// errCompactStep is what compactHook returns to stop a compaction in a
// test.
var errCompactStep = errors.New("compaction stopped")

// compact writes the live state to a new file and renames it over the
// state file, which the store then uses. s.mu is held, or s not yet
// shared; s.buf is empty and no sync is running.
func (s *journalStore) compact() (err error) {
	if len(s.buf) > 0 || s.syncing {
		return errors.New("compact state: writes pending")
	}
	// The new file replaces the file, not a symbolic link to it.
	path, err := filepath.EvalSymlinks(s.path)
	if err != nil {
		return fmt.Errorf("compact state: %w", err)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+compactSuffix+"*")
	if err != nil {
		return fmt.Errorf("compact state: %w", err)
	}
	var n *journalStore // the new file's store, once replayed
	defer func() {
		if err != nil {
			if n != nil {
				n.keys.free()
			}
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	// Locked before it takes the state file's name: a process opening
	// the file then waits for this one, not for the old file.
	if err := lockFile(tmp, 0); err != nil {
		return fmt.Errorf("compact state: lock %s: %w", tmp.Name(), err)
	}
	if fi, err := s.f.Stat(); err == nil {
		_ = tmp.Chmod(fi.Mode().Perm()) // best effort: tmp is 0600 already
	}
	fw := &frameWriter{w: tmp, start: -1}
	sources, err := s.writeLive(fw)
	if err != nil {
		return fmt.Errorf("compact state: %s: %w", tmp.Name(), err)
	}
	if err := s.step("written"); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("compact state: sync %s: %w", tmp.Name(), err)
	}
	if err := s.step("synced"); err != nil {
		return err
	}
	n = &journalStore{path: tmp.Name(), f: tmp, ledger: newLedger()}
	good, damage, err := n.replay(fw.n)
	if err == nil && damage != nil {
		err = damage
	}
	if err == nil {
		err = s.sameState(n, sources)
	}
	if err != nil {
		// A bug: what is written must replay to the same state.
		return fmt.Errorf("compact state: %s does not replay to the state (at byte %d): %w", tmp.Name(), good, err)
	}
	if err := s.step("checked"); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("compact state: %w", err)
	}
	// The new file is the state file now: nothing below undoes that.
	if err := syncDir(dir); err != nil {
		// The rename may be lost in a crash of the machine, which leaves
		// the old file: the same state.
		s.log.Warn("state file compacted, but its directory not synced", "path", s.path, "err", err)
	}
	s.f.Close() // synced, or superseded: either way replaced
	old := s.ledger
	s.ledger = n.ledger
	s.leases, s.pending = old.leases, old.pending
	old.keys.free()
	s.f, s.lr, s.end, s.scan, s.usage = tmp, logReader{r: tmp}, fw.n, n.scan, n.usage
	return nil
}

// step calls the test hook after a step of compact.
func (s *journalStore) step(name string) error {
	if s.compactHook == nil {
		return nil
	}
	return s.compactHook(name)
}

// sameState checks that n, replayed from the new file, holds the state
// of s, with sources sources.
func (s *journalStore) sameState(n *journalStore, sources int) error {
	type tally struct {
		Seq                                 uint64
		Queued, Done, Failed, Emitted, Keys int
		Scope, Sources                      int
	}
	got := tally{n.seq, n.queuedN, n.done, n.failed, n.emitted, n.keys.n, len(n.scope), len(n.sources)}
	want := tally{s.seq, s.queuedN, s.done, s.failed, s.emitted, s.keys.n, len(s.scope), sources}
	if got != want {
		return fmt.Errorf("replayed %+v, want %+v", got, want)
	}
	return nil
}

// writeLive writes the header and the live state to fw, reading the keys
// and the queued entries from the file, and returns how many sources it
// wrote.
func (s *journalStore) writeLive(fw *frameWriter) (int, error) {
	fw.raw(header(journalVersion))
	for _, h := range s.scopeHosts() {
		fw.item(recScope)
		fw.buf = appendString(fw.buf, h)
	}
	fw.seal()

	// Each key once, with its flags: written marks the hashes done.
	written := &keySet{seed: s.keys.seed}
	written.resize(minSlots)
	defer written.free()
	err := s.eachRecord(func(typ byte, p []byte) error {
		return eachKey(typ, p, func(k []byte, seq uint64) {
			h := s.keys.hashBytes(k)
			if written.flags(h) != 0 {
				return
			}
			written.set(h, flagSeen)
			f := s.keys.flags(h)
			if f == 0 || f == flagSeen && seq != 0 && s.queued.has(seq) {
				// Not kept (a source's key only), or queued with
				// nothing more: its entry below says it all.
				return
			}
			fw.item(recKeys)
			fw.buf = append(fw.buf, byte(f))
			fw.buf = binary.AppendUvarint(fw.buf, uint64(len(k)))
			fw.buf = append(fw.buf, k...)
		})
	})
	if err != nil {
		return 0, err
	}
	fw.seal()

	// The sources, but those whose checks ended and that are not queued:
	// Revisit forgets them.
	now := time.Now()
	sources := 0
	for _, k := range slices.Sorted(maps.Keys(s.sources)) {
		rec := s.sources[k]
		if rec.src.expired(now) && !rec.pending {
			continue
		}
		fw.item(recSource)
		fw.buf = appendSource(fw.buf, rec)
		fw.seal()
		sources++
	}

	// The counts, and the entries queued, in order, taking the Seqs up to
	// the last one.
	next := s.seq - uint64(s.queuedN)
	fw.item(recTally)
	fw.buf = binary.AppendUvarint(fw.buf, uint64(s.done))
	fw.buf = binary.AppendUvarint(fw.buf, uint64(s.failed))
	fw.buf = binary.AppendUvarint(fw.buf, next)
	fw.seal()
	if s.queuedN > 0 {
		err = s.eachRecord(func(typ byte, p []byte) error {
			if typ != recAdd {
				return nil
			}
			d := recordDecoder{b: p}
			for seq := d.uvarint(); len(d.b) > 0; seq++ {
				rest := d.b
				d.entry()
				if d.err != nil {
					return d.err
				}
				if !s.queued.has(seq) {
					continue
				}
				next++
				if fw.item(recAdd) {
					fw.buf = binary.AppendUvarint(fw.buf, next)
				}
				fw.buf = append(fw.buf, rest[:len(rest)-len(d.b)]...)
			}
			return d.err
		})
		if err != nil {
			return 0, err
		}
	}
	if next != s.seq {
		return 0, fmt.Errorf("wrote entries up to Seq %d, want %d", next, s.seq)
	}
	return sources, fw.close()
}

// eachRecord calls fn with every record of the file, in order.
func (s *journalStore) eachRecord(fn func(typ byte, p []byte) error) error {
	lr := logReader{r: s.f, window: 1 << 20}
	for off := int64(headerSize); off < s.end; {
		typ, p, next, err := lr.record(off, s.end)
		if err != nil {
			return fmt.Errorf("read %s: %w", s.path, err)
		}
		if err := fn(typ, p); err != nil {
			return fmt.Errorf("read %s: record at byte %d: %w", s.path, off, err)
		}
		off = next
	}
	return nil
}

// eachKey calls fn with every key a record holds (but scope hosts) and,
// for the entries of a recAdd, their Seq; 0 for the others.
func eachKey(typ byte, p []byte, fn func(k []byte, seq uint64)) error {
	d := recordDecoder{b: p}
	switch typ {
	case recAdd:
		for seq := d.uvarint(); len(d.b) > 0; seq++ {
			_, _, _, key, _ := d.entry()
			if d.err != nil {
				break
			}
			fn(key, seq)
		}
	case recDone:
		d.uvarint()
		flags := d.byte()
		for range d.uvarint() {
			k := d.bytes()
			if d.err != nil {
				break
			}
			fn(k, 0)
		}
		if flags&doneEmitted != 0 && flags&doneEmittedVisited == 0 {
			if k := d.bytes(); d.err == nil {
				fn(k, 0)
			}
		}
	case recEmitted:
		for len(d.b) > 0 {
			if k := d.bytes(); d.err == nil {
				fn(k, 0)
			}
		}
	case recKeys:
		for len(d.b) > 0 {
			d.byte()
			if k := d.bytes(); d.err == nil {
				fn(k, 0)
			}
		}
	case recSource:
		if _, _, _, key, _ := d.entry(); d.err == nil {
			fn(key, 0)
		}
	}
	return d.err
}

// frameWriter writes framed records to w through a buffer, items of one
// type in records that end once past chunkSize, as chunkWriter does.
type frameWriter struct {
	w     io.Writer
	buf   []byte
	start int // offset of the open record in buf, -1 when none
	typ   byte
	n     int64 // bytes written to w
	err   error
}

// raw appends bytes outside any record.
func (fw *frameWriter) raw(b []byte) {
	fw.seal()
	fw.buf = append(fw.buf, b...)
}

// item readies the next item of a record of type typ: it seals the open
// record if it is of another type or past chunkSize, and begins a record
// when none is open, saying so.
func (fw *frameWriter) item(typ byte) (began bool) {
	if fw.start >= 0 && (fw.typ != typ || len(fw.buf)-fw.start > chunkSize) {
		fw.seal()
	}
	if fw.start >= 0 {
		return false
	}
	fw.start, fw.typ = len(fw.buf), typ
	fw.buf = append(fw.buf, 0, 0, 0, 0, 0, 0, 0, 0, typ)
	return true
}

// seal frames the open record, if any, and writes the buffer once it is
// large.
func (fw *frameWriter) seal() {
	if fw.start >= 0 {
		frame(fw.buf[fw.start:])
		fw.start = -1
	}
	if len(fw.buf) >= 1<<20 {
		fw.write()
	}
}

func (fw *frameWriter) write() {
	if fw.err == nil && len(fw.buf) > 0 {
		var n int
		n, fw.err = fw.w.Write(fw.buf)
		fw.n += int64(n)
	}
	fw.buf = fw.buf[:0]
}

// close seals the open record and writes the rest.
func (fw *frameWriter) close() error {
	fw.seal()
	fw.write()
	return fw.err
}

// syncDir syncs a directory, so that a rename in it is on disk.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(d.Sync(), d.Close())
}
