package store

import "strings"

// keyspace names every Redis key the store touches; nothing else builds key strings.
//
// Per collection c (one hash tag, so one Cluster slot and multi-key Lua works):
//
//	<p>:{c}:stats        HASH   objects, versions, last (16-digit µs of the newest date_added)
//	<p>:{c}:all          ZSET   every version; score 0, member "<date_added>|<id>|<version>"
//	<p>:{c}:latest       ZSET   latest version of each id, same members
//	<p>:{c}:first        ZSET   first version of each id, same members
//	<p>:{c}:type:<type>  ZSET   latest version of each id of that type, same members
//	<p>:{c}:ver:<id>     ZSET   versions of one id; score = version µs, member as above
//	<p>:{c}:meta         HASH   "<id>|<version>" -> "<spec_version>|<type>"
//	<p>:{c}:body         HASH   "<id>|<version>" -> object JSON
//	<p>:{c}:idspec       HASH   id -> newest spec_version stored for it
//
// Global, one hash tag per resource: <p>:status:{<status-id>} STRING with a TTL.
type keyspace struct{ prefix string }

func (k keyspace) coll(c, name string) string { return k.prefix + ":{" + c + "}:" + name }

func (k keyspace) stats(c string) string  { return k.coll(c, "stats") }
func (k keyspace) all(c string) string    { return k.coll(c, "all") }
func (k keyspace) latest(c string) string { return k.coll(c, "latest") }
func (k keyspace) first(c string) string  { return k.coll(c, "first") }
func (k keyspace) meta(c string) string   { return k.coll(c, "meta") }
func (k keyspace) body(c string) string   { return k.coll(c, "body") }
func (k keyspace) idSpec(c string) string { return k.coll(c, "idspec") }

func (k keyspace) typeIndex(c, typ string) string { return k.coll(c, "type:"+typ) }
func (k keyspace) versions(c, id string) string   { return k.coll(c, "ver:"+id) }

func (k keyspace) status(id string) string { return k.prefix + ":status:{" + id + "}" }

// objectKeys are KEYS[1..9] of putScript and deleteScript, in this order.
func (k keyspace) objectKeys(c, id, typ string) []string {
	return []string{
		k.stats(c), k.all(c), k.latest(c), k.first(c), k.meta(c), k.body(c),
		k.idSpec(c), k.versions(c, id), k.typeIndex(c, typ),
	}
}

// validTag reports whether s can sit inside a hash tag: braces would end the tag early and let two
// collections' key names collide.
func validTag(s string) bool {
	return s != "" && !strings.ContainsAny(s, "{}")
}

// RawKeys names one collection's keys for code that must look beneath the
// API on purpose: the load harness's bare-Redis yardstick and the
// crash-consistency tests, which check every index directly. It uses the
// same keyspace as the store, so the layout is still defined only here.
type RawKeys struct {
	Stats, All, Latest, First, Meta, Body, IDSpec string
	k                                             keyspace
	c                                             string
}

// NewRawKeys returns the key names of collection under prefix ("" for
// DefaultKeyPrefix).
func NewRawKeys(prefix, collection string) RawKeys {
	if prefix == "" {
		prefix = DefaultKeyPrefix
	}
	k := keyspace{prefix: prefix}
	return RawKeys{
		Stats: k.stats(collection), All: k.all(collection), Latest: k.latest(collection), First: k.first(collection),
		Meta: k.meta(collection), Body: k.body(collection), IDSpec: k.idSpec(collection), k: k, c: collection,
	}
}

// Type is the latest-version index of one object type.
func (r RawKeys) Type(typ string) string { return r.k.typeIndex(r.c, typ) }

// Versions is the version set of one object id.
func (r RawKeys) Versions(id string) string { return r.k.versions(r.c, id) }
