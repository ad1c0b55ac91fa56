package qms

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"
)

// ProvinceChain is the chain key of entries that belong to no agency (accounts, the agency
// directory itself); every agency has its own chain keyed by its id.
const ProvinceChain int64 = 0

// Change is what one entry records of a field: its value before and after.
type Change struct {
	Old any `json:"old,omitempty"`
	New any `json:"new,omitempty"`
}

// Changes maps field names to changes. encoding/json sorts map keys, so its encoding is stable.
type Changes map[string]Change

// Diff records field when old and new differ.
func (c Changes) Diff(field string, old, new any) {
	if old != new {
		c[field] = Change{Old: old, New: new}
	}
}

// JournalEntry is one change, hash-chained to its predecessor in the same chain (DESIGN.md Journal).
type JournalEntry struct {
	ID         int64
	Chain      int64 // agency id, or ProvinceChain
	Seq        int64 // 1, 2, … within the chain
	At         time.Time
	ActorID    int64 // 0: the system (demo loader, migrations)
	ActorName  string
	Action     string // e.g. "agency.create"
	ObjectType string // e.g. "agency"
	ObjectID   string
	Changes    string // canonical JSON
	PrevHash   string // hex; "" for the first entry of a chain
	Hash       string // hex SHA-256 over every field above
}

// DecodeChanges reads what EncodeChanges wrote (nil when it is not JSON of changes).
func DecodeChanges(s string) Changes {
	var c Changes
	if json.Unmarshal([]byte(s), &c) != nil {
		return nil
	}
	return c
}

// EncodeChanges returns the canonical JSON of c.
func EncodeChanges(c Changes) string {
	if len(c) == 0 {
		return "{}"
	}
	b, err := json.Marshal(c)
	if err != nil { // values are plain strings, numbers and booleans; this cannot fail for them
		panic("qms: journal changes not encodable: " + err.Error())
	}
	return string(b)
}

// ComputeHash returns the entry's hash: SHA-256 over a length-prefixed encoding of every field
// and the predecessor's hash, so that editing, removing or reordering any entry breaks the chain.
func (e *JournalEntry) ComputeHash() string {
	h := sha256.New()
	put := func(s string) {
		h.Write([]byte(strconv.Itoa(len(s))))
		h.Write([]byte{':'})
		h.Write([]byte(s))
		h.Write([]byte{'\n'})
	}
	put("isogov-journal-v1")
	put(strconv.FormatInt(e.Chain, 10))
	put(strconv.FormatInt(e.Seq, 10))
	put(strconv.FormatInt(e.At.UnixMicro(), 10))
	put(strconv.FormatInt(e.ActorID, 10))
	put(e.ActorName)
	put(e.Action)
	put(e.ObjectType)
	put(e.ObjectID)
	put(e.Changes)
	put(e.PrevHash)
	return hex.EncodeToString(h.Sum(nil))
}

// ChainCheck verifies entries of one chain in order. Feed entries with Next; the first
// problem is kept and reported by Err.
type ChainCheck struct {
	Chain    int64
	prevSeq  int64
	prevID   int64
	prevHash string
	Count    int64
	err      *ChainError
}

// ChainError names the first broken entry of a chain.
type ChainError struct {
	Chain  int64
	Seq    int64
	ID     int64
	Reason string
}

func (e *ChainError) Error() string {
	return "chain " + strconv.FormatInt(e.Chain, 10) + ": entry #" + strconv.FormatInt(e.ID, 10) +
		" (seq " + strconv.FormatInt(e.Seq, 10) + "): " + e.Reason
}

// Next checks e against the entries seen so far; it returns false once the chain is broken.
func (c *ChainCheck) Next(e *JournalEntry) bool {
	if c.err != nil {
		return false
	}
	fail := func(reason string) bool {
		c.err = &ChainError{Chain: c.Chain, Seq: e.Seq, ID: e.ID, Reason: reason}
		return false
	}
	switch {
	case e.Chain != c.Chain:
		return fail("belongs to chain " + strconv.FormatInt(e.Chain, 10))
	case e.Seq != c.prevSeq+1:
		return fail("sequence gap: expected " + strconv.FormatInt(c.prevSeq+1, 10) + " (an entry was removed or reordered)")
	case e.PrevHash != c.prevHash:
		return fail("previous hash does not match the entry before it (an entry was removed, reordered or edited)")
	case e.ComputeHash() != e.Hash:
		return fail("content does not match its hash (the entry was edited)")
	case e.ID <= c.prevID:
		return fail("stored before the entry it follows (entries were reordered)")
	}
	c.prevSeq, c.prevID, c.prevHash = e.Seq, e.ID, e.Hash
	c.Count++
	return true
}

// Finish checks the chain's end against the recorded head (seq and hash of the last entry),
// which catches entries removed from the end of a chain.
func (c *ChainCheck) Finish(headSeq int64, headHash string) error {
	if c.err != nil {
		return c.err
	}
	if headSeq != c.prevSeq || headHash != c.prevHash {
		return &ChainError{Chain: c.Chain, Seq: c.prevSeq + 1, Reason: "the chain ends at seq " +
			strconv.FormatInt(c.prevSeq, 10) + " but its head records seq " + strconv.FormatInt(headSeq, 10) +
			" (entries were removed from the end, or the head was altered)"}
	}
	return nil
}
